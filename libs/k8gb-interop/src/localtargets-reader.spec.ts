import { DnsClientError, RRType, WireDnsClient, type DnsClient, type DnsClientQuery, type DnsMessage } from '@meridian/dns-wire';
import { startK8gbDnsServer } from '@meridian/peer-sync-testing';
import { K8gbPeerUnreachableError } from './k8gb-peer-error';
import { LocalTargetsReader } from './localtargets-reader';
import { localTargetsName } from './localtargets-name';

/** A nameserver as a function of the question; throws for a timeout. */
class FakeNameserver implements DnsClient {
  readonly asked: string[] = [];
  constructor(private readonly answer: (query: DnsClientQuery) => { rcode: number; addresses?: string[] } | 'timeout') {}
  async query(query: DnsClientQuery): Promise<DnsMessage> {
    this.asked.push(`${query.name} ${query.type}`);
    const result = this.answer(query);
    if (result === 'timeout') throw new DnsClientError('no UDP reply within 2000 ms', 'fake');
    return {
      id: 1, flags: 0, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, cd: false, rcode: result.rcode,
      questions: [{ name: query.name, type: query.type, class: 1 }],
      answers: (result.addresses ?? [])
        .filter((a) => (query.type === RRType.AAAA ? a.includes(':') : !a.includes(':')))
        .map((address) => ({ name: query.name, type: query.type, class: 1, ttl: 30, data: { kind: 'address' as const, address } })),
      authorities: [],
      additionals: [],
    };
  }
  close(): void {
    // Nothing to release.
  }
}

describe('localtargets-<host>', () => {
  it('is the name k8gb publishes and asks for', () => {
    expect(localTargetsName('App.GSLB.example.com.')).toBe('localtargets-app.gslb.example.com');
  });
});

describe('LocalTargetsReader', () => {
  it('asks A and AAAA for localtargets-<host> and returns the addresses', async () => {
    const ns = new FakeNameserver(() => ({ rcode: 0, addresses: ['10.0.0.2', '10.0.0.1', 'fd00::1'] }));
    const reader = new LocalTargetsReader([{ address: 'ns1:53', client: ns }]);
    expect(await reader.read('app.gslb.example.com')).toEqual({ host: 'app.gslb.example.com', server: 'ns1:53', rcode: 'NOERROR', ipv4: ['10.0.0.1', '10.0.0.2'], ipv6: ['fd00::1'] });
    expect(ns.asked.sort()).toEqual([`localtargets-app.gslb.example.com ${RRType.A}`, `localtargets-app.gslb.example.com ${RRType.AAAA}`]);
  });

  it.each([
    ['times out', 'timeout' as const],
    ['answers SERVFAIL', { rcode: 2 }],
    ['answers REFUSED', { rcode: 5 }],
  ])('moves on to the next nameserver when one %s', async (_name, first) => {
    const reader = new LocalTargetsReader([
      { address: 'ns1:53', client: new FakeNameserver(() => first) },
      { address: 'ns2:53', client: new FakeNameserver(() => ({ rcode: 3 })) },
    ]);
    expect(await reader.read('app.gslb.example.com')).toMatchObject({ server: 'ns2:53', rcode: 'NXDOMAIN', ipv4: [], ipv6: [] });
  });

  it('throws K8gbPeerUnreachableError naming every failure when no nameserver answers', async () => {
    const reader = new LocalTargetsReader([
      { address: 'ns1:53', client: new FakeNameserver(() => 'timeout') },
      { address: 'ns2:53', client: new FakeNameserver(() => ({ rcode: 2 })) },
    ]);
    const read = reader.read('app.gslb.example.com');
    await expect(read).rejects.toBeInstanceOf(K8gbPeerUnreachableError);
    await expect(read).rejects.toThrow(/no nameserver answered localtargets-app.gslb.example.com: ns1:53: .*no UDP reply.*; ns2:53: answered SERVFAIL/);
  });

  it('reads a real DNS server over UDP', async () => {
    const server = await startK8gbDnsServer('gslb.example.com');
    try {
      server.setTargets('app.gslb.example.com', ['10.9.0.1', '2001:db8::9']);
      const reader = new LocalTargetsReader([{ address: server.address, client: new WireDnsClient({ host: server.host, port: server.port }) }]);
      expect(await reader.read('app.gslb.example.com')).toMatchObject({ ipv4: ['10.9.0.1'], ipv6: ['2001:db8::9'], rcode: 'NOERROR' });
      expect(await reader.read('db.gslb.example.com')).toMatchObject({ ipv4: [], ipv6: [], rcode: 'NXDOMAIN' });
    } finally {
      await server.stop();
    }
  });
});
