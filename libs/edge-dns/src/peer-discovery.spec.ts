import { DnsClientError, RRType, type DnsClient, type DnsClientQuery, type DnsMessage, type ResourceRecord } from '@meridian/dns-wire';
import { EdgeDnsError } from './edge-dns-error';
import { discoverRegions } from './peer-discovery';

/** An edge DNS as a table: name and type → records, the NS of the delegated zone in the authority section (a referral). */
class FakeEdge implements DnsClient {
  constructor(private readonly records: Record<string, ResourceRecord[]>, private readonly failing = false) {}
  async query(query: DnsClientQuery): Promise<DnsMessage> {
    if (this.failing) throw new DnsClientError('no UDP reply within 3000 ms', '192.0.2.53:53');
    const records = this.records[`${query.name} ${query.type}`] ?? [];
    const referral = query.type === RRType.NS;
    return {
      id: 1, flags: 0, qr: true, opcode: 0, aa: !referral, tc: false, rd: false, ra: false, cd: false, rcode: 0,
      questions: [{ name: query.name, type: query.type, class: 1 }],
      answers: referral ? [] : records,
      authorities: referral ? records : [],
      additionals: [],
    };
  }
  close(): void {
    // Nothing to release.
  }
}

const ns = (target: string): ResourceRecord => ({ name: 'gslb.example.com', type: RRType.NS, class: 1, ttl: 30, data: { kind: 'name', name: target } });
const a = (name: string, address: string, type: number = RRType.A): ResourceRecord => ({ name, type, class: 1, ttl: 30, data: { kind: 'address', address } });
const zone = { zone: 'gslb.example.com', parent: 'example.com' };

describe('discoverRegions', () => {
  it('reads regions from k8gb-named NS records and their glue, skipping other NS names', async () => {
    const edge = new FakeEdge({
      [`gslb.example.com ${RRType.NS}`]: [ns('gslb-ns-us-gslb.example.com'), ns('gslb-ns-eu-gslb.example.com'), ns('ns1.dns-provider.net')],
      [`gslb-ns-eu-gslb.example.com ${RRType.A}`]: [a('gslb-ns-eu-gslb.example.com', '192.0.2.11')],
      [`gslb-ns-eu-gslb.example.com ${RRType.AAAA}`]: [a('gslb-ns-eu-gslb.example.com', '2001:db8::11', RRType.AAAA)],
      [`gslb-ns-us-gslb.example.com ${RRType.A}`]: [a('gslb-ns-us-gslb.example.com', '192.0.2.12'), a('other.example.com', '192.0.2.99')],
    });
    expect(await discoverRegions(edge, 'edge', zone)).toEqual([
      { geotag: 'eu', nameserver: 'gslb-ns-eu-gslb.example.com', zone: 'gslb.example.com', ipv4: ['192.0.2.11'], ipv6: ['2001:db8::11'] },
      { geotag: 'us', nameserver: 'gslb-ns-us-gslb.example.com', zone: 'gslb.example.com', ipv4: ['192.0.2.12'], ipv6: [] },
    ]);
  });

  it('rejects when the edge DNS does not answer, so an outage is not read as every region leaving', async () => {
    await expect(discoverRegions(new FakeEdge({}, true), '192.0.2.53:53', zone)).rejects.toBeInstanceOf(EdgeDnsError);
  });
});
