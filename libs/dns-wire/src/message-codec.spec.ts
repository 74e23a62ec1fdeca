import { RRType } from './constants';
import { decodeName, encodeName } from './domain-name';
import { Dns2ReferenceDecoder } from './dns2-reference-decoder';
import { decodeMessage } from './message-decoder';
import { MessageWriter } from './message-writer';
import { buildQuery } from './query-builder';
import type { ResourceRecord } from './resource-record';
import { wireNameEquals, wireNameHash } from './wire-name';

const rr = (name: string, type: number, data: ResourceRecord['data'], ttl = 30): ResourceRecord => ({ name, type, class: 1, ttl, data });

describe('MessageWriter and decodeMessage', () => {
  const records: ResourceRecord[] = [
    rr('www.example.com', RRType.A, { kind: 'address', address: '192.0.2.1' }),
    rr('www.example.com', RRType.AAAA, { kind: 'address', address: '2001:db8::1' }),
    rr('www.example.com', RRType.CNAME, { kind: 'name', name: 'lb.example.net' }),
    rr('example.com', RRType.NS, { kind: 'name', name: 'ns1.example.com' }),
    rr('example.com', RRType.TXT, { kind: 'txt', texts: ['hello', 'world'] }),
    rr('example.com', RRType.HINFO, { kind: 'hinfo', cpu: 'RFC8482', os: '' }),
    rr('example.com', RRType.SOA, { kind: 'soa', mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 4294967295, refresh: 1, retry: 2, expire: 3, minimum: 4 }),
  ];

  it('round-trips every record type, with compression, and dns2 reads the same message', () => {
    const write = (compress: boolean) => {
      const w = new MessageWriter(compress);
      w.header({ id: 7, flags: 0x8400, qdcount: 1, ancount: records.length, arcount: 1 }).question('www.example.com', RRType.A);
      for (const r of records) w.record(r);
      w.opt({ payloadSize: 1232, dnssecOk: true, options: [{ code: 65001, data: Buffer.from([1, 2]) }] });
      return w.finish();
    };
    const msg = write(true);
    expect(decodeMessage(write(false)).answers).toEqual(records);
    const decoded = decodeMessage(msg);
    expect(decoded).toMatchObject({ id: 7, qr: true, aa: true, rcode: 0, questions: [{ name: 'www.example.com', type: 1, class: 1 }] });
    expect(decoded.answers).toEqual(records);
    expect(decoded.edns).toMatchObject({ payloadSize: 1232, dnssecOk: true, version: 0, options: [{ code: 65001 }] });
    // Compression: 7 owner names and 5 RDATA names, most of them pointers.
    expect(msg.length).toBeLessThan(write(false).length - 80);
    const reference = new Dns2ReferenceDecoder().decode(msg);
    expect(reference.ok).toBe(true);
    if (reference.ok) {
      expect(reference.summary.answers.map((a) => [a.name, a.type, a.ttl])).toEqual(records.map((r) => [r.name, r.type, r.ttl]));
      expect(reference.summary.additionals.map((a) => a.type)).toEqual([RRType.OPT]);
    }
  });

  it('decodes the ECS option of a query', () => {
    const q = decodeMessage(buildQuery({ id: 1, name: 'a.example', type: RRType.A, edns: { clientSubnet: '10.1.2.3/24' } }));
    expect(q.edns?.clientSubnet).toEqual({ family: 1, sourcePrefix: 24, scopePrefix: 0, address: '10.1.2.0' });
  });

  it.each([
    ['a pointer to itself', Buffer.from([0xc0, 0]), 0],
    ['a forward pointer', Buffer.from([0, 0xc0, 3, 1, 97, 0]), 1],
    ['a two-pointer loop', Buffer.from([1, 97, 0xc0, 4, 0xc0, 0]), 4],
    ['a label past the end', Buffer.from([5, 97]), 0],
    ['a reserved label type', Buffer.from([0x80, 0]), 0],
  ])('decodeName rejects %s', (_name, buf, offset) => {
    expect(() => decodeName(buf, offset)).toThrow(/pointer|past the end|reserved/);
  });

  it('encodes names case-preserved and rejects bad labels', () => {
    expect(encodeName('A.b.')).toEqual(Buffer.from([1, 65, 1, 98, 0]));
    expect(() => encodeName(`${'a'.repeat(64)}.com`)).toThrow(/longer than 63/);
    expect(() => encodeName('a..b')).toThrow(/empty label/);
    expect(() => encodeName(Array.from({ length: 130 }, () => 'a').join('.'))).toThrow(/255/);
  });

  it('hashes and compares wire names case-insensitively', () => {
    const lower = encodeName('app.example.com');
    const mixed = encodeName('ApP.ExAmPlE.CoM');
    expect(wireNameHash(mixed, 0, mixed.length)).toBe(wireNameHash(lower, 0, lower.length));
    expect(wireNameEquals(mixed, 0, lower)).toBe(true);
    expect(wireNameEquals(encodeName('app.example.org'), 0, lower)).toBe(false);
  });
});
