// The scale benchmark's fleet: Kubernetes-shaped resources for a prober in file mode, one
// file per region, and the addresses the benchmark expects in answers.
import { writeFileSync } from 'node:fs';

export const ZONE = 'gslb.example.com';
export const REGIONS = ['ap', 'eu', 'us'];
/** 10.<net>.x.y per region, so geoCidrs can map them. */
export const REGION_NET = { ap: 3, eu: 1, us: 2 };
/** Hosts per Gslb (spec.ingress.rules): one Gslb per 10 hosts keeps the files realistic and short. */
export const HOSTS_PER_GSLB = 10;
/** The host whose health the benchmark flips (roundRobin: its answer holds every healthy region's target). */
export const PROBE_HOST = `probe-0.${ZONE}`;
export const probeAddress = (region) => `10.${REGION_NET[region]}.255.1`;

const STRATEGIES = [
  ...Array(5).fill({ type: 'roundRobin' }),
  { type: 'failover', primaryGeoTag: 'eu' },
  { type: 'failover', primaryGeoTag: 'us' },
  { type: 'failover', primaryGeoTag: 'ap' },
  { type: 'geoip' },
  { type: 'geoip' },
];

export const hostName = (i) => `h${i}.${ZONE}`;
/** The last roundRobin host: when the zone answers it with every region's target, the zone is complete. */
export function lastRoundRobinHost(hosts) {
  for (let g = Math.ceil(hosts / HOSTS_PER_GSLB) - 1; g >= 0; g--) {
    if (STRATEGIES[g % STRATEGIES.length].type === 'roundRobin') return { host: hostName(Math.min(hosts, (g + 1) * HOSTS_PER_GSLB) - 1), addresses: REGIONS.map((r) => gslbAddress(r, g)).sort() };
  }
  throw new Error('no roundRobin host');
}
const gslbAddress = (region, g) => `10.${REGION_NET[region]}.${(g >> 8) & 255}.${g & 255}`;

const rule = (host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } });

/** Writes `path`: the Service and its ready EndpointSlice, `hosts` hosts in Gslbs of 10, and the probe host. */
export function writeResources(path, region, hosts) {
  const docs = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'bench' }, spec: { type: 'ClusterIP', selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'app-1', namespace: 'bench', labels: { 'kubernetes.io/service-name': 'app' } },
      addressType: 'IPv4',
      ports: [{ port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.0.0.11'], conditions: { ready: true } }],
    },
    {
      apiVersion: 'k8gb.io/v1beta1',
      kind: 'Gslb',
      metadata: { name: 'probe', namespace: 'bench', annotations: { 'k8gb.io/exposed-ip-addresses': probeAddress(region) } },
      spec: { ingress: { rules: [rule(PROBE_HOST)] }, strategy: { type: 'roundRobin', dnsTtlSeconds: 30 } },
    },
  ];
  const gslbs = Math.ceil(hosts / HOSTS_PER_GSLB);
  for (let g = 0; g < gslbs; g++) {
    const rules = [];
    for (let i = g * HOSTS_PER_GSLB; i < Math.min(hosts, (g + 1) * HOSTS_PER_GSLB); i++) rules.push(rule(hostName(i)));
    docs.push({
      apiVersion: 'k8gb.io/v1beta1',
      kind: 'Gslb',
      metadata: { name: `g${g}`, namespace: 'bench', annotations: { 'k8gb.io/exposed-ip-addresses': gslbAddress(region, g) } },
      spec: { ingress: { rules }, strategy: { ...STRATEGIES[g % STRATEGIES.length], dnsTtlSeconds: 30 } },
    });
  }
  // JSON is YAML: one document per line keeps the file quick to write and to read.
  writeFileSync(path, docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n');
}
