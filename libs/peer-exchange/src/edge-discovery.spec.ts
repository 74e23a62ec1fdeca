import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import type { DnsClient } from '@meridian/dns-wire';
import { EdgeDiscovery, type EdgeDiscoveryOptions } from './edge-discovery';
import { Membership } from './membership';
import { PeerSyncMetrics } from './peer-sync-metrics';

const discovery = (options: Partial<EdgeDiscoveryOptions> = {}) =>
  new EdgeDiscovery({
    self: 'eu',
    zones: [{ zone: 'gslb.example.com', parent: 'example.com' }],
    client: {} as DnsClient,
    server: 'edge',
    intervalMs: 1000,
    peerPort: 7102,
    dnsPort: 53,
    defaultKind: 'meridian',
    kinds: { legacy: 'k8gb' },
    membership: new Membership({ self: 'eu', staticPeers: [], forgetAfterMs: 1000, logger: nullLogger }),
    metrics: new PeerSyncMetrics(createMetricsRegistry({ runtimeMetrics: false })),
    logger: nullLogger,
    ...options,
  });

const region = (geotag: string, ipv4: string[], ipv6: string[] = [], zone = 'gslb.example.com') => ({ geotag, nameserver: `gslb-ns-${geotag}-gslb.example.com`, zone, ipv4, ipv6 });

describe('EdgeDiscovery.toSpecs', () => {
  it.each([
    ['a Meridian region, dialled at its first glue address', [region('us', ['192.0.2.12', '192.0.2.2'])], [{ region: 'us', kind: 'meridian', address: '192.0.2.12:7102', nameservers: [], source: 'edge-dns' }]],
    ['an IPv6-only region', [region('us', [], ['2001:db8::12'])], [{ region: 'us', kind: 'meridian', address: '[2001:db8::12]:7102', nameservers: [], source: 'edge-dns' }]],
    ['a k8gb region, asked on every glue address', [region('legacy', ['192.0.2.20'], ['2001:db8::20'])], [{ region: 'legacy', kind: 'k8gb', nameservers: ['192.0.2.20:53', '[2001:db8::20]:53'], source: 'edge-dns' }]],
    ['this region itself', [region('eu', ['192.0.2.11'])], []],
    ['a region without glue', [region('us', [])], []],
    ['a region in two zones, as one peer', [region('us', ['192.0.2.12']), region('us', ['192.0.2.13'], [], 'other.example.com')], [{ region: 'us', kind: 'meridian', address: '192.0.2.12:7102', nameservers: [], source: 'edge-dns' }]],
  ])('maps %s', (_name, regions, specs) => {
    expect(discovery().toSpecs(regions)).toEqual(specs);
  });

  it('dials peerHost when one is configured', () => {
    expect(discovery({ peerHost: 'peer-sync.{region}.example.com' }).toSpecs([region('us', ['192.0.2.12'])])[0]?.address).toBe('peer-sync.us.example.com:7102');
  });
});
