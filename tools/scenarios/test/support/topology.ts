import { stringify } from 'yaml';
import { type Forward, type Network } from '@meridian/netns-harness';
import { appEntry } from '@meridian/testing';
import { SampleApp, SAMPLE_APP_PORT } from './sample-app';

/**
 * Meridian's five services and a sample app in every region of a harness `Network`, with
 * configs generated from the network's addresses (the shapes of apps/<app>/config/example-*.yaml).
 * Each region runs in its own namespace, so every region uses the default ports:
 * prober 7101, peer-sync 7102, witness 7103, records 7104, dns 7105 (gRPC), DNS on port 53
 * of the region's address (the nameserver the edge delegates to).
 */

/** Each region's load-balancer address, as its prober reports it. */
export const TARGETS = { eu: '192.0.2.10', us: '198.51.100.10', za: '203.0.113.10' } as Readonly<Record<string, string>>;
export const FAILOVER = 'failover.gslb.example.com';
export const ROUNDROBIN = 'roundrobin.gslb.example.com';
export { SAMPLE_APP_PORT };
const READY = /"service started"/;

/** The region's target address (its Gslbs' `k8gb.io/exposed-ip-addresses`). */
export function target(region: string): string {
  const address = TARGETS[region];
  if (address === undefined) throw new Error(`no target address for region "${region}" (known: ${Object.keys(TARGETS).join(', ')})`);
  return address;
}

/** The sorted, comma-joined targets of these regions: what `answerAt` returns for them. */
export function targetsOf(...regions: string[]): string {
  return regions.map(target).sort().join(',');
}

/** One Gslb every region declares (with its own target), as k8gb's terratest deploys one per cluster. */
export interface GslbHost {
  /** The Gslb's name (namespace `demo`). */
  readonly name: string;
  readonly host: string;
  /** `spec.strategy` without `dnsTtlSeconds` (always 1 s here). */
  readonly strategy: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}

/** The hosts of the split-brain scenarios: failover (eu, then us) and plain roundRobin. */
export const SPLIT_BRAIN_HOSTS: readonly GslbHost[] = [
  { name: 'failover', host: FAILOVER, strategy: { type: 'failover', primaryGeoTag: 'eu' }, annotations: { 'meridian.io/failover-order': 'eu,us' } },
  { name: 'roundrobin', host: ROUNDROBIN, strategy: { type: 'roundRobin' } },
];

export interface RegionServices {
  /** The sample app's port, forwarded to the test process (POST /fail, /recover); it survives a restart of the app. */
  sampleApp: Forward;
  /** The sample app's process: `kill()` (SIGKILL) and `start()` again. */
  app: SampleApp;
}

function resources(region: string, hosts: readonly GslbHost[]): string {
  const gslb = ({ name, host, strategy, annotations = {} }: GslbHost) => ({
    apiVersion: 'k8gb.io/v1beta1',
    kind: 'Gslb',
    metadata: { name, namespace: 'demo', annotations: { 'k8gb.io/exposed-ip-addresses': target(region), ...annotations } },
    spec: {
      ingress: {
        rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'sample-app', port: { number: 80 } } } }] } }],
      },
      // TTL 1: the client resolver must not hide a change behind its cache.
      strategy: { ...strategy, dnsTtlSeconds: 1 },
    },
  });
  const docs = [
    ...hosts.map(gslb),
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
  /** Client subnet → region, for geoip. */
  geoCidrs?: readonly GeoCidr[];
  /** Region → its other regions, nearest first (default: the others in the network's order). */
  proximity?: Readonly<Record<string, readonly string[]>>;
}

export interface GeoCidr {
  readonly cidr: string;
  readonly region: string;
}

export function recordsConfig(net: Network, region: string, options: RecordsOptions = {}): Record<string, unknown> {
  const geotags = Object.keys(net.regions);
  return {
    ...common(region, '127.0.0.1', options.grpcPort ?? 7104, options.metricsPort ?? 9104),
    streams: { heartbeatSeconds: 2 },
    regions: geotags.map((g) => ({ geoTag: g, proximity: options.proximity?.[g] ?? geotags.filter((o) => o !== g) })),
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
    ...(options.geoCidrs && options.geoCidrs.length > 0 ? { geoCidrs: options.geoCidrs } : {}),
  };
}

export function dnsConfig(region: string, host: string, port: number, recordsPort = 7104, grpcPort = 7105, metricsPort = 9105): Record<string, unknown> {
  return {
    ...common(region, '127.0.0.1', grpcPort, metricsPort),
    dns: { host, port, workers: 0 },
    records: { endpoints: [`127.0.0.1:${recordsPort}`] },
  };
}

export interface FleetOptions {
  /** The Gslbs every region declares (default: the split-brain hosts). */
  readonly hosts?: readonly GslbHost[];
  /** records' `geoCidrs` in every region. */
  readonly geoCidrs?: readonly GeoCidr[];
  /** records' `regions[].proximity` in every region (default: the others in the network's order). */
  readonly proximity?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Starts the sample app, prober, peer-sync and records + dns of every region of `net` (two,
 * three or more), then the witnesses.
 */
export async function startRegions(net: Network, options: FleetOptions = {}): Promise<Record<string, RegionServices>> {
  const hosts = options.hosts ?? SPLIT_BRAIN_HOSTS;
  const geotags = Object.keys(net.regions);
  const out: Record<string, RegionServices> = {};
  const write = (region: string, name: string, content: unknown) => net.writeFile(`${region}/${name}`, typeof content === 'string' ? content : stringify(content));
  const app = (region: string, name: string, config: string) => net.start(region, name, process.execPath, [appEntry(name), '--config', config], { ready: READY, readyTimeoutMs: 30_000 });

  for (const region of geotags) {
    const me = net.region(region);
    const peers = geotags.filter((g) => g !== region);
    const sampleApp = new SampleApp(net, region);
    await sampleApp.start();
    write(region, 'resources.yaml', resources(region, hosts));
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
    await app(region, 'records', write(region, 'records.yaml', recordsConfig(net, region, { ...(options.geoCidrs ? { geoCidrs: options.geoCidrs } : {}), ...(options.proximity ? { proximity: options.proximity } : {}) })));
    await app(region, 'dns', write(region, 'dns.yaml', dnsConfig(region, me.address, 53)));
    out[region] = { sampleApp: await net.forward(region, SAMPLE_APP_PORT), app: sampleApp };
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
