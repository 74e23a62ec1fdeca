import { nullLogger } from '@meridian/logging';
import { Membership, type MembershipEvent } from './membership';
import type { PeerSpec } from './peer-spec';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 12, minute));
const peer = (region: string, source: PeerSpec['source'], address = `${region}.example:7102`): PeerSpec => ({ region, kind: 'meridian', address, nameservers: [], source });

describe('Membership', () => {
  const setup = () => {
    const membership = new Membership({ self: 'eu', staticPeers: [peer('us', 'static'), peer('eu', 'static')], forgetAfterMs: 10 * 60_000, logger: nullLogger });
    const events: string[] = [];
    membership.onEvent((e: MembershipEvent) => events.push(`${e.type} ${e.peer.spec.region}`));
    membership.start();
    return { membership, events };
  };

  it('starts with the static peers, never itself', () => {
    const { membership, events } = setup();
    expect(events).toEqual(['added us']);
    expect(membership.list().map((p) => p.spec.region)).toEqual(['us']);
  });

  it('adds discovered peers; a static peer wins over a discovered one of the same region', () => {
    const { membership, events } = setup();
    membership.applyDiscovery([peer('us', 'edge-dns', '192.0.2.12:7102'), peer('ap', 'edge-dns'), peer('eu', 'edge-dns')], at(0));
    expect(events).toEqual(['added us', 'added ap']);
    expect(membership.get('us')?.spec).toMatchObject({ source: 'static', address: 'us.example:7102' });
  });

  it('reports a discovered peer that disappears, keeps it, finds it again, and forgets it only after forgetAfterMs', () => {
    const { membership, events } = setup();
    membership.applyDiscovery([peer('ap', 'edge-dns')], at(0));
    membership.applyDiscovery([], at(1));
    expect(membership.get('ap')?.missingSince).toEqual(at(1));
    membership.applyDiscovery([], at(5));
    expect(membership.get('ap')?.missingSince).toEqual(at(1));
    membership.applyDiscovery([peer('ap', 'edge-dns')], at(6));
    expect(membership.get('ap')?.missingSince).toBeUndefined();
    membership.applyDiscovery([], at(7));
    membership.sweep(at(16));
    expect(membership.get('ap')).toBeDefined();
    membership.sweep(at(17));
    expect(membership.get('ap')).toBeUndefined();
    expect(events).toEqual(['added us', 'added ap', 'missing ap', 'found-again ap', 'missing ap', 'removed ap']);
    // Static peers are never missing: they are not in the edge DNS to begin with.
    expect(membership.get('us')?.missingSince).toBeUndefined();
  });

  it('announces a discovered peer whose address changed', () => {
    const { membership, events } = setup();
    membership.applyDiscovery([peer('ap', 'edge-dns', '192.0.2.13:7102')], at(0));
    membership.applyDiscovery([peer('ap', 'edge-dns', '192.0.2.99:7102')], at(1));
    expect(events).toEqual(['added us', 'added ap', 'changed ap']);
    expect(membership.get('ap')?.spec.address).toBe('192.0.2.99:7102');
  });
});
