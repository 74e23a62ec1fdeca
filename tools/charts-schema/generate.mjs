#!/usr/bin/env node
// Writes charts/<chart>/values.schema.json for the five service charts and the umbrella chart.
// The `config` block of each service chart is generated from the service's own zod schema
// (z.toJSONSchema of the built app's config, read as input), so chart and service cannot
// drift; the rest of each schema is written here, field by field, with descriptions.
//
//   npx nx run-many -t build -p prober peer-sync witness records dns   # the schemas come from dist/
//   node tools/charts-schema/generate.mjs           # write the schemas
//   node tools/charts-schema/generate.mjs --check   # exit 1 when a written schema is stale
//   --charts DIR                                    # another charts folder (default: charts/)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { z } = require('zod');

/** The service charts: the built config module and the zod schema it exports. */
export const SERVICES = {
  prober: 'proberConfigSchema',
  'peer-sync': 'peerSyncConfigSchema',
  witness: 'witnessConfigSchema',
  records: 'recordsConfigSchema',
  dns: 'dnsConfigSchema',
};

// ---- building blocks -------------------------------------------------------------------------
const str = (description, extra = {}) => ({ type: 'string', description, ...extra });
const bool = (description) => ({ type: 'boolean', description });
const int = (description, extra = {}) => ({ type: 'integer', description, ...extra });
/**
 * An object of values. Every key is required unless `extra.required` says otherwise: values.yaml
 * gives each one a default, so a missing key means `null` deleted it, and the templates need it.
 */
const obj = (description, properties, extra = {}) => ({ type: 'object', description, additionalProperties: false, properties, required: Object.keys(properties), ...extra });
const map = (description) => ({ type: 'object', description, additionalProperties: true });
const mapOfStrings = (description) => ({ type: 'object', description, additionalProperties: { type: 'string' } });
const arr = (description, items, extra = {}) => ({ type: 'array', description, items, ...extra });
const anyList = (description) => ({ type: 'array', description, items: { type: 'object' } });
const GEOTAG = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
const DNS_NAME = '^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.?$';
const HOST_PORT = '^(\\[[0-9a-fA-F:.]+\\]|[^\\s:\\[\\]]+):[0-9]{1,5}$';
const CIDR = '^[0-9a-fA-F:.]+/[0-9]{1,3}$';
const port = (description) => int(description, { minimum: 1, maximum: 65535 });
const duration = (description) => str(description, { pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' });
const quantityOrPercent = (description) => ({ description, oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+%$' }] });

const globalSchema = obj('Values shared by every Meridian chart (set once in the umbrella chart).', {
  region: str("This region's geotag (k8gb's geoTag): a lower-case DNS label such as \"eu\" or \"us-east-1\".", { pattern: GEOTAG }),
  regions: arr(
    'Every region of the fleet, this one included.',
    obj('A region.', {
      geoTag: str('The region\'s geotag.', { pattern: GEOTAG }),
      proximity: arr('The other regions, nearest first.', { type: 'string', pattern: GEOTAG }),
      nameservers: arr('The region\'s own DNS servers, "host:port".', { type: 'string', pattern: HOST_PORT }),
    }, { required: ['geoTag'] }),
  ),
  zones: arr(
    "The zones this region answers for (k8gb's dnsZones).",
    obj('A delegated zone.', {
      zone: str('The delegated zone, e.g. gslb.example.com.', { pattern: DNS_NAME }),
      parentZone: str('The zone that delegates it, e.g. example.com.', { pattern: DNS_NAME }),
    }, { required: ['zone', 'parentZone'] }),
  ),
  watchNamespaces: arr('Namespaces whose Gslbs are watched; empty: every namespace (ClusterRoles).', { type: 'string', pattern: GEOTAG }),
  clusterDomain: str("The cluster's DNS domain, used in certificate names.", { minLength: 1 }),
  image: obj('Image defaults of every service.', {
    registry: str('Images are <registry>/<service>.', { minLength: 1 }),
    tag: str('Tag of every service image; empty: each chart\'s appVersion.'),
    pullSecrets: arr('Image pull Secret names added to every pod.', { type: 'string' }),
  }),
  tls: obj('Mutual TLS on every gRPC port.', {
    enabled: bool('mTLS on every gRPC port (the default: peer and witness gRPC only with mTLS).'),
    existingSecret: str('The Secret (tls.crt, tls.key, ca.crt) every service mounts unless cert-manager issues one.'),
    certManager: obj('cert-manager Certificates, one per service.', {
      enabled: bool('Render one Certificate per service.'),
      issuerRef: obj('The Issuer or ClusterIssuer that signs them.', {
        name: str('Its name (required when enabled).'),
        kind: str('Issuer or ClusterIssuer.', { enum: ['Issuer', 'ClusterIssuer'] }),
        group: str('Its API group.'),
      }),
      duration: duration('Certificate lifetime, e.g. 2160h.'),
      renewBefore: duration('Renewal this long before expiry, e.g. 360h.'),
    }),
  }),
});

const probe = (what) => obj(`The ${what} probe.`, {
  initialDelaySeconds: int('Seconds before the first probe.', { minimum: 0 }),
  periodSeconds: int('Seconds between probes.', { minimum: 1 }),
  timeoutSeconds: int('Seconds a probe may take.', { minimum: 1 }),
  failureThreshold: int('Failures in a row that count.', { minimum: 1 }),
  successThreshold: int('Successes in a row that count (1 for startup and liveness).', { minimum: 1 }),
}, { required: ['periodSeconds', 'timeoutSeconds', 'failureThreshold'] });

const networkPolicyCommon = {
  enabled: bool('Render the NetworkPolicy.'),
  metrics: obj('Scrapes of the metrics port.', { from: anyList('NetworkPolicyPeers allowed to scrape; empty: anyone.') }),
  clusterDns: obj('Egress to the cluster DNS, to resolve names.', {
    enabled: bool('Allow it.'),
    namespace: str('Namespace of the cluster DNS pods.', { minLength: 1 }),
    podLabels: mapOfStrings('Labels of the cluster DNS pods.'),
  }),
  extraIngress: anyList('Further NetworkPolicyIngressRules.'),
  extraEgress: anyList('Further NetworkPolicyEgressRules.'),
};
const cidrs = (description) => arr(description, { type: 'string', pattern: CIDR });
const ports = (description) => arr(description, { type: 'integer', minimum: 1, maximum: 65535 });
const apiServer = obj('The Kubernetes API server (differs per cluster).', { cidrs: cidrs('Its CIDRs.'), ports: ports('Its TCP ports.') });
const peerService = (defaultPort) => obj('The Service peer regions dial (gRPC port only).', {
  enabled: bool('Render it.'),
  type: str('Service type.', { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }),
  port: port(`Its port (default ${defaultPort}).`),
  annotations: mapOfStrings('Annotations, e.g. for the cloud load balancer.'),
  loadBalancerIP: str('A fixed load balancer address.'),
  loadBalancerSourceRanges: cidrs('CIDRs allowed through the load balancer.'),
  externalTrafficPolicy: str('Local keeps source addresses; Cluster spreads.', { enum: ['Local', 'Cluster'] }),
});

/** The values every service chart has; `extra` adds the service's own, `config` is generated. */
function serviceSchema(service, config, extra, networkPolicy) {
  const schema = obj(`Values of the Meridian ${service} chart (charts/${service}/README.md).`, {
    enabled: bool('Install this service (read by the umbrella chart).'),
    'meridian-lib': { type: 'object', description: 'The library chart\'s values (it has none; Helm adds the key).' },
    global: globalSchema,
    nameOverride: str('Replaces the chart name in object names.'),
    fullnameOverride: str('Replaces "<release>-<service>" as every object name.'),
    commonLabels: mapOfStrings('Labels added to every object.'),
    image: obj('The container image.', {
      repository: str('Full repository; empty: <global.image.registry>/<service>.'),
      tag: str('Empty: global.image.tag, then the appVersion.'),
      digest: str('sha256:... pins the image.', { pattern: '^(sha256:[0-9a-f]{64})?$' }),
      pullPolicy: str('Image pull policy.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    }),
    imagePullSecrets: arr('Pull Secret names for this service.', { type: 'string' }),
    replicaCount: int('Replicas.', { minimum: 0 }),
    service: obj('The cluster Service.', {
      grpcPort: port('gRPC port of the container and the Service.'),
      metricsPort: port('HTTP port of /metrics, /healthz and /readyz.'),
      annotations: mapOfStrings('Service annotations.'),
    }),
    args: arr('Extra command-line arguments.', { type: 'string' }),
    extraEnv: anyList('Extra environment variables (EnvVar objects).'),
    serviceAccount: obj('The ServiceAccount.', {
      create: bool('Create it.'),
      name: str('Its name; empty: the object name.'),
      annotations: mapOfStrings('Its annotations.'),
    }),
    tls: obj('TLS overrides for this service.', {
      existingSecret: str('A Secret (tls.crt, tls.key, ca.crt) for this service only.'),
      certManager: obj('cert-manager overrides.', {
        enabled: { type: ['boolean', 'null'], description: 'null: follow global.tls.certManager.enabled.' },
        issuerRef: obj('Empty: the global issuer.', { name: str('Issuer name.'), kind: str('Issuer or ClusterIssuer.', { enum: ['Issuer', 'ClusterIssuer'] }), group: str('API group.') }, { required: [] }),
        dnsNames: arr('Extra certificate names.', { type: 'string', minLength: 1 }),
        duration: { type: 'string', description: 'Empty: global duration.', pattern: '^(([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)?$' },
        renewBefore: { type: 'string', description: 'Empty: global renewBefore.', pattern: '^(([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)?$' },
      }, { required: ['issuerRef', 'dnsNames', 'duration', 'renewBefore'] }),
    }),
    probes: obj('Startup, readiness and liveness probes: native gRPC probes on the health-only port 7190 (grpc-health).', {
      startup: probe('startup'),
      readiness: probe('readiness'),
      liveness: probe('liveness'),
    }),
    resources: map('Container resources (requests and limits).'),
    podSecurityContext: map('Merged over the non-root pod securityContext.'),
    securityContext: map('Merged over the hardened container securityContext.'),
    terminationGracePeriodSeconds: int('Seconds a pod gets to drain.', { minimum: 1 }),
    tmpSizeLimit: str('Size limit of /tmp.', { pattern: '^[0-9]+(Ki|Mi|Gi)?$' }),
    podAnnotations: mapOfStrings('Pod annotations.'),
    podLabels: mapOfStrings('Pod labels.'),
    priorityClassName: str('Pod priority class.'),
    nodeSelector: mapOfStrings('Node selector.'),
    tolerations: anyList('Tolerations.'),
    affinity: map('Affinity.'),
    pdb: obj('The PodDisruptionBudget.', {
      enabled: bool('Render it.'),
      minAvailable: { description: 'Used instead of maxUnavailable when set.', oneOf: [{ type: 'null' }, { type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+%$' }] },
      maxUnavailable: quantityOrPercent('Pods that may be down at once.'),
    }, { required: ['enabled', 'maxUnavailable'] }),
    serviceMonitor: obj('A prometheus-operator ServiceMonitor.', {
      enabled: bool('Render it.'),
      namespace: str('Its namespace; empty: the release namespace.'),
      labels: mapOfStrings('Labels your Prometheus selects by.'),
      interval: duration('Scrape interval.'),
      scrapeTimeout: duration('Scrape timeout.'),
      relabelings: anyList('Relabelings.'),
    }),
    networkPolicy: obj('The NetworkPolicy (only the flows of DESIGN.md).', { ...networkPolicyCommon, ...networkPolicy }),
    extraVolumes: anyList('Extra volumes.'),
    extraVolumeMounts: anyList('Extra volume mounts.'),
    config,
    ...extra,
  });
  // `enabled` exists only under the umbrella chart; Helm adds `meridian-lib` itself; Helm drops
  // keys whose value is null (quorum).
  schema.required = schema.required.filter((key) => !['enabled', 'meridian-lib', 'quorum'].includes(key));
  return { $schema: 'https://json-schema.org/draft-07/schema#', ...schema };
}

// ---- the service configs, from zod ---------------------------------------------------------------
/** Required lists go: the chart fills the fields it owns, so `config` is a partial config. */
function partial(node) {
  if (Array.isArray(node)) return node.map(partial);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' && Array.isArray(value)) continue;
    if (key === '$schema') continue;
    out[key] = partial(value);
  }
  return out;
}

function configSchema(service) {
  const module = join(root, 'apps', service, 'dist', 'config.js');
  if (!existsSync(module)) throw new Error(`${module} is missing: build the apps first (npx nx run-many -t build -p ${Object.keys(SERVICES).join(' ')})`);
  const schema = require(module)[SERVICES[service]];
  const json = partial(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return {
    ...json,
    description: `${service}'s own config (apps/${service}/README.md), generated from its zod schema by tools/charts-schema/generate.mjs. The chart sets the fields it owns (region, listeners, TLS paths); the service checks the whole file again at start-up.`,
  };
}

const EXTRA = {
  prober: {
    kubernetes: obj('Kubernetes mode.', { enabled: bool('Watch the API (false: file mode).'), gatewayApi: bool('Also watch Gateway API objects.') }),
  },
  'peer-sync': {
    peerService: peerService(7102),
    peers: arr('The other regions.', {
      type: 'object',
      additionalProperties: false,
      required: ['region'],
      properties: {
        region: str('The peer region\'s geotag.', { pattern: GEOTAG }),
        kind: str('meridian (a peer-sync) or k8gb (read over DNS).', { enum: ['meridian', 'k8gb'] }),
        address: str('meridian: host:port of its peer-sync.', { pattern: HOST_PORT }),
        tlsServerName: str('The name its certificate is checked against.', { minLength: 1 }),
        nameservers: arr('k8gb: its DNS servers, "host" or "host:port".', { type: 'string', minLength: 1 }),
      },
    }),
    peerIdentity: str('The name a peer\'s client certificate must carry, with {region}; empty: not checked.', { pattern: '^$|\\{region\\}' }),
    edgeDns: obj('Delegation at the edge DNS (RFC 2136 + TSIG) and peer discovery.', {
      enabled: bool('Use the edge DNS.'),
      server: str('The parent zone\'s primary, "host" or "host:port".'),
      zones: arr('Delegated zones; empty: global.zones.', obj('A zone.', { zone: str('The delegated zone.', { pattern: DNS_NAME }), parent: str('Its parent.', { pattern: DNS_NAME }) }, { required: ['zone', 'parent'] })),
      delegation: obj('Publish NS and glue.', {
        enabled: bool('Publish them.'),
        addresses: arr('This region\'s DNS service addresses (the glue).', { type: 'string', minLength: 2 }),
        ttlSeconds: int('TTL of the NS and glue records.', { minimum: 1, maximum: 86400 }),
      }),
      discovery: obj('Find peers from the delegation.', { enabled: bool('Discover peers.'), peerHost: str('"peer-sync.{region}.example.com".', { pattern: '^$|\\{region\\}' }) }),
      tsig: obj('The TSIG key from a Secret.', {
        existingSecret: str('The Secret\'s name.'),
        key: str('The key in the Secret.', { minLength: 1 }),
        name: str('TSIG key name when the Secret holds only the secret.'),
        algorithm: str('Its algorithm.', { enum: ['hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1'] }),
      }),
    }),
  },
  witness: {
    peerService: peerService(7103),
    resolvers: arr('Recursive resolvers in other failure domains, "host:port".', { type: 'string', pattern: HOST_PORT }),
    peers: arr('Peer regions\' witnesses.', obj('A peer witness.', {
      region: str('Its region.', { pattern: GEOTAG }),
      address: str('host:port of its witness.', { pattern: HOST_PORT }),
      serverName: str('Name its certificate is checked against.', { minLength: 1 }),
    }, { required: ['region', 'address'] })),
    quorum: { type: ['integer', 'null'], minimum: 1, description: 'Observers that must agree; null: a majority.' },
  },
  records: {
    inputs: obj('The input streams.', {
      prober: obj('The prober.', { address: str('host:port; empty: <release>-prober:7101.', { pattern: `^$|${HOST_PORT.slice(1)}` }) }),
      peerSync: obj('peer-sync.', { enabled: bool('Read it.'), address: str('host:port; empty: <release>-peer-sync:7102.', { pattern: `^$|${HOST_PORT.slice(1)}` }) }),
      witness: obj('The witness.', { enabled: bool('Read it.'), address: str('host:port; empty: <release>-witness:7103.', { pattern: `^$|${HOST_PORT.slice(1)}` }) }),
    }),
    kubernetes: obj('Kubernetes mode.', { enabled: bool('Lease-led Gslb status.'), gslbStatus: bool('Write Gslb status.'), dnsEndpoints: bool('Write DNSEndpoints.') }),
  },
  dns: {
    autoscaling: obj('The HorizontalPodAutoscaler.', {
      enabled: bool('Render it (replicaCount is then ignored).'),
      minReplicas: int('Fewest replicas.', { minimum: 1 }),
      maxReplicas: int('Most replicas.', { minimum: 1 }),
      targetCPUUtilizationPercentage: int('CPU target, percent of requests.', { minimum: 1, maximum: 100 }),
    }),
    dns: obj('The DNS listener and its Service.', {
      containerPort: int('The container\'s unprivileged DNS port.', { minimum: 1024, maximum: 65535 }),
      workers: int('Answering processes (0: the main process only).', { minimum: 0, maximum: 64 }),
      service: obj('The DNS Service.', {
        type: str('ClusterIP or LoadBalancer.', { enum: ['ClusterIP', 'LoadBalancer'] }),
        port: port('Its port, UDP and TCP.'),
        annotations: mapOfStrings('Its annotations.'),
        loadBalancerIP: str('A fixed load balancer address.'),
        loadBalancerSourceRanges: cidrs('CIDRs allowed through the load balancer.'),
        externalTrafficPolicy: str('Local or Cluster.', { enum: ['Local', 'Cluster'] }),
      }),
    }),
    topologySpread: obj('Spread across zones and nodes.', {
      enabled: bool('Render the constraints.'),
      zone: obj('Across zones.', { maxSkew: int('Max skew.', { minimum: 1 }), whenUnsatisfiable: str('Policy.', { enum: ['DoNotSchedule', 'ScheduleAnyway'] }) }),
      node: obj('Across nodes.', { maxSkew: int('Max skew.', { minimum: 1 }), whenUnsatisfiable: str('Policy.', { enum: ['DoNotSchedule', 'ScheduleAnyway'] }) }),
    }),
    recordsEndpoints: arr('records "host:port" list; empty: <release>-records:7104.', { type: 'string', pattern: HOST_PORT }),
  },
};

const NETWORK_POLICY = {
  prober: { apiServer, checks: obj('Active checks.', { to: anyList('NetworkPolicyPeers; empty: anywhere.'), ports: ports('TCP ports; empty: any.') }) },
  'peer-sync': { peers: obj('Peer regions.', { cidrs: cidrs('Their CIDRs.'), ports: ports('Ports dialled there.') }), edgeDns: obj('The edge DNS.', { cidrs: cidrs('Its CIDRs.') }) },
  witness: { dnsServers: obj('Resolvers and region nameservers.', { cidrs: cidrs('Their CIDRs.') }), peers: obj('Peer witnesses.', { cidrs: cidrs('Their CIDRs.'), ports: ports('Ports dialled there.') }) },
  records: { apiServer },
  dns: { dnsFrom: anyList('Who may query; empty: anyone.') },
};

function umbrellaSchema() {
  const toggle = (service) => ({ type: 'object', description: `The ${service} chart's values (charts/${service}/values.schema.json checks them).`, properties: { enabled: bool(`Install ${service}.`) } });
  return {
    $schema: 'https://json-schema.org/draft-07/schema#',
    ...obj('Values of the Meridian umbrella chart (charts/meridian/README.md).', {
      global: globalSchema,
      ...Object.fromEntries(Object.keys(SERVICES).map((s) => [s, toggle(s)])),
      prometheusRule: obj('The PrometheusRule.', { enabled: bool('Render it.'), namespace: str('Its namespace.'), labels: mapOfStrings('Its labels.') }),
      dashboards: obj('The Grafana dashboard ConfigMaps.', {
        enabled: bool('Render them.'),
        namespace: str('Their namespace.'),
        label: str('The sidecar\'s label key.', { minLength: 1 }),
        labelValue: str('Its value.'),
        annotations: mapOfStrings('Their annotations.'),
      }),
    }),
  };
}

export function schemas() {
  const out = { meridian: umbrellaSchema() };
  for (const service of Object.keys(SERVICES)) out[service] = serviceSchema(service, configSchema(service), EXTRA[service], NETWORK_POLICY[service]);
  return out;
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const at = args.indexOf('--charts');
  const chartsDir = at >= 0 && args[at + 1] ? args[at + 1] : join(root, 'charts');
  let stale = 0;
  for (const [chart, schema] of Object.entries(schemas())) {
    const path = join(chartsDir, chart, 'values.schema.json');
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current === text) continue;
    if (check) {
      stale++;
      process.stderr.write(`charts/${chart}/values.schema.json is stale: run node tools/charts-schema/generate.mjs\n`);
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote charts/${chart}/values.schema.json\n`);
    }
  }
  if (stale > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
