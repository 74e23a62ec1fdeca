import { decodeMessage, Opcode, RRClass, RRType } from '@meridian/dns-wire';
import { buildUpdateMessage, describeUpdate } from './dns-update';

describe('RFC 2136 update messages', () => {
  const message = decodeMessage(
    buildUpdateMessage({
      id: 7,
      zone: 'example.com',
      updates: [
        { op: 'add', name: 'gslb.example.com', type: 'NS', ttl: 30, data: 'gslb-ns-eu-gslb.example.com' },
        { op: 'add', name: 'gslb-ns-eu-gslb.example.com', type: 'AAAA', ttl: 30, data: '2001:db8::1' },
        { op: 'delete', name: 'gslb-ns-eu-gslb.example.com', type: 'A', data: '192.0.2.1' },
      ],
    }),
  );

  it('has opcode UPDATE and the zone (type SOA) in the zone section', () => {
    expect(message).toMatchObject({ id: 7, opcode: Opcode.UPDATE, qr: false });
    expect(message.questions).toEqual([{ name: 'example.com', type: RRType.SOA, class: RRClass.IN }]);
    expect(message.answers).toEqual([]);
  });

  it('adds with class IN and a TTL, and deletes one RR with class NONE and TTL 0 (never a whole RRset)', () => {
    expect(message.authorities).toEqual([
      { name: 'gslb.example.com', type: RRType.NS, class: RRClass.IN, ttl: 30, data: { kind: 'name', name: 'gslb-ns-eu-gslb.example.com' } },
      { name: 'gslb-ns-eu-gslb.example.com', type: RRType.AAAA, class: RRClass.IN, ttl: 30, data: { kind: 'address', address: '2001:db8::1' } },
      { name: 'gslb-ns-eu-gslb.example.com', type: RRType.A, class: RRClass.NONE, ttl: 0, data: { kind: 'address', address: '192.0.2.1' } },
    ]);
  });

  it('describes operations for logs', () => {
    expect(describeUpdate({ op: 'add', name: 'a.example.com', type: 'A', ttl: 30, data: '192.0.2.1' })).toBe('add a.example.com 30 A 192.0.2.1');
    expect(describeUpdate({ op: 'delete', name: 'a.example.com', type: 'A', data: '192.0.2.1' })).toBe('delete a.example.com A 192.0.2.1');
  });
});
