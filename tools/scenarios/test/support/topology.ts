import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Forward, type Network } from '@meridian/netns-harness';
import { appEntry, WORKSPACE_ROOT } from '@meridian/testing';

/**
 * Meridian's five services and a sample app in every region of a harness `Network`, with
 * configs generated from the network's addresses (the shapes of apps/<app>/config/example-*.yaml).
 * Each region runs in its own namespace, so every region uses the default ports:
 * prober 7101, peer-sync 7102, witness 7103, records 7104, dns 7105 (gRPC), DNS on port 53
 * of the region's address (the nameserver the edge delegates to).
 */

/** Each region's load-balancer address, as its prober reports it. */
export const TARGETS = { eu: '192.0.2.10', us: '198.51.100.10' } as Readonly<Record<string, string>>;
export const FAILOVER = 'failover.gslb.example.com';
export const ROUNDROBIN = 'roundrobin.gslb.example.com';
export const SAMPLE_APP_PORT = 18081;
const READY = /"service started"/;

export interface RegionServices {
  /** The sample app's port, forwarded to the test process (POST /fail, /recover). */
  sampleApp: Forward;
}

function resources(region: string): string {
  const gslb = (name: string, host: string, strategy: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
    apiVersion: 'k8gb.io/v1beta1',
    kind: 'Gslb',
    metadata: { name, namespace: 'demo', annotations: { 'k8gb.io/exposed-ip-addresses': TARGETS[region], ...annotations } },
    spec: {
      ingress: {
        rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'sample-app', port: { number: 80 } } } }] } }],
      },
      // TTL 1: the client resolver must not hide a change behind its cache.
      strategy: { ...strategy, dnsTtlSeconds: 1 },
    },
  });
  const docs = [
    gslb('failover', FAILOVER, { type: 'failover', primaryGeoTag: 'eu' }, { 'meridian.io/failover-order': 'eu,us' }),
    gslb('roundrobin', ROUNDROBIN, { type: 'roundRobin' }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sample-app', namespace: 'demo' }, spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `sample-app-${region}1`, namespace: 'demo', labels: { 'kubernetes.io/service-name': 'sample-app' } },
      addressType: 'IPv4',
      ports: [{ port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.0.0.11'], conditions: { ready: true } }],
    },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

const common = (region: string, grpcHost: string, grpcPort: number, metricsPort: number) => ({
  region,
  grpc: { host: grpcHost, port: grpcPort },
  metrics: { host: '127.0.0.1', port: metricsPort },
  log: { level: 'info' },
  shutdown: { graceSeconds: 1 },
});

export interface RecordsOptions {
  /** Subscribe to the witness (default true). */
  witness?: boolean;
  grpcPort?: number;
  metricsPort?: number;
  staleLimitSeconds?: number;
}

export function recordsConfig(net: Network, region: string, options: RecordsOptions = {}): Record<string, unknown> {
  const geotags = Object.keys(net.regions);
  return {
    ...common(region, '127.0.0.1', options.grpcPort ?? 7104, options.metricsPort ?? 9104),
    streams: { heartbeatSeconds: 2 },
    regions: geotags.map((g) => ({ geoTag: g, proximity: geotags.filter((o) => o !== g) })),
    dnsZones: [{ zone: net.zone, parentZone: net.parentZone, dnsZoneNegTTL: 1 }],
    nameserverPrefix: 'gslb-ns',
    staleness: { freshForSeconds: 3, staleLimitSeconds: options.staleLimitSeconds ?? 300, aliveHoldLimitSeconds: 900 },
    inputs: {
      prober: '127.0.0.1:7101',
      peerSync: '127.0.0.1:7102',
      ...((options.witness ?? true) ? { witness: '127.0.0.1:7103' } : {}),
      heartbeatTimeoutSeconds: 6,
      startupGraceSeconds: 3,
    },
    witnessHeartbeat: { intervalSeconds: 1, ttlSeconds: 1 },
  };
}

export function dnsConfig(region: string, host: string, port: number, recordsPort = 7104, grpcPort = 7105, metricsPort = 9105): Record<string, unknown> {
  return {
    ...common(region, '127.0.0.1', grpcPort, metricsPort),
    dns: { host, port, workers: 0 },
    records: { endpoints: [`127.0.0.1:${recordsPort}`] },
  };
}

/** Starts the sample app, prober, peer-sync and records + dns of every region, then the witnesses. */
export async function startRegions(net: Network): Promise<Record<string, RegionServices>> {
  const geotags = Object.keys(net.regions);
  const out: Record<string, RegionServices> = {};
  const write = (region: string, name: string, content: unknown) => net.writeFile(`${region}/${name}`, typeof content === 'string' ? content : stringify(content));
  const app = (region: string, name: string, config: string) => net.start(region, name, process.execPath, [appEntry(name), '--config', config], { ready: READY, readyTimeoutMs: 30_000 });

  for (const region of geotags) {
    const me = net.region(region);
    const peers = geotags.filter((g) => g !== region);
    await net.start(region, 'sample-app', process.execPath, [join(WORKSPACE_ROOT, 'tools', 'demo', 'sample-app.mjs'), '--region', region, '--port', String(SAMPLE_APP_PORT), '--host', '127.0.0.1'], {
      ready: /sample app listening/,
    });
    write(region, 'resources.yaml', resources(region));
    const prober = write(region, 'prober.yaml', {
      ...common(region, '127.0.0.1', 7101, 9101),
      zones: [net.zone],
      regions: geotags,
      source: { mode: 'file', file: { paths: ['resources.yaml'], pollIntervalSeconds: 1 } },
      checks: {
        defaults: { intervalSeconds: 1, timeoutSeconds: 0.5, rise: 1, fall: 1, jitter: 0.1 },
        hosts: [{ host: `*.${net.zone}`, checks: [{ name: 'sample-app', url: `http://127.0.0.1:${SAMPLE_APP_PORT}/healthz`, expectStatus: ['200-299'] }] }],
      },
    });
    await app(region, 'prober', prober);
    const peerSync = write(region, 'peer-sync.yaml', {
      ...common(region, '0.0.0.0', 7102, 9102),
      prober: { address: '127.0.0.1:7101' },
      peering: {
        plaintext: true,
        heartbeatSeconds: 1,
        reconnect: { initialMs: 200, maxSeconds: 2 },
        peers: peers.map((p) => ({ region: p, kind: 'meridian', address: `${net.region(p).address}:7102` })),
      },
    });
    await app(region, 'peer-sync', peerSync);
    await app(region, 'records', write(region, 'records.yaml', recordsConfig(net, region)));
    await app(region, 'dns', write(region, 'dns.yaml', dnsConfig(region, me.address, 53)));
    out[region] = { sampleApp: await net.forward(region, SAMPLE_APP_PORT) };
  }
  // The witnesses last: their first decision is immediate, so they should see every nameserver.
  for (const region of geotags) {
    const peers = geotags.filter((g) => g !== region);
    const witness = write(region, 'witness.yaml', {
      ...common(region, '0.0.0.0', 7103, 9103),
      witness: {
        zone: net.zone,
        regions: Object.values(net.regions).map((r) => ({ geotag: r.geotag, nameservers: [`${r.address}:53`] })),
        resolvers: net.witnessResolvers.map((w) => ({ address: `${w.address}:53` })),
        peers: peers.map((p) => ({ region: p, address: `${net.region(p).address}:7103` })),
        intervalSeconds: 1,
        timeoutSeconds: 1,
        hysteresis: { downAfterSeconds: 2, aliveAfterSeconds: 1 },
      },
    });
    await app(region, 'witness', witness);
  }
  return out;
}
