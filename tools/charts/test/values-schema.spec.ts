import { ChartSandbox } from './support/helm';
import { UMBRELLA } from './support/umbrella';
import { SERVICES, type Service } from './support/workspace';

/**
 * values.schema.json of every chart rejects bad values before anything is rendered (helm
 * install, upgrade and template all validate), and the message names the field. Each row is a
 * deliberate mistake; the table runs against each service chart and through the umbrella.
 */
type Row = [name: string, values: Record<string, unknown>, field: RegExp];

/** Helm reports schema errors as `at '/service/grpcPort': ...`; the pattern names the JSON pointer. */
const at = (pointer: string) => new RegExp(`at '${pointer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`);

const COMMON: Row[] = [
  ['a string replica count', { replicaCount: 'two' }, at('/replicaCount')],
  ['a negative replica count', { replicaCount: -1 }, at('/replicaCount')],
  ['an unknown pull policy', { image: { pullPolicy: 'Sometimes' } }, at('/image/pullPolicy')],
  ['a negative gRPC port', { service: { grpcPort: -1 } }, at('/service/grpcPort')],
  ['a metrics port above 65535', { service: { metricsPort: 70000 } }, at('/service/metricsPort')],
  ['a misspelt key', { replicas: 3 }, /replicas/],
  ['a region that is not a DNS label', { global: { region: 'EU_1' } }, at('/global/region')],
  ['a zone without its parent zone (missing required)', { global: { zones: [{ zone: 'gslb.example.com' }] } }, /parentZone/],
  ['the removed probe mode (probes are always gRPC on the health port)', { probes: { mode: 'http' } }, /mode/],
  ['a probe period of 0 seconds', { probes: { readiness: { periodSeconds: 0 } } }, at('/probes/readiness/periodSeconds')],
  ['a string for mTLS on/off', { global: { tls: { enabled: 'yes' } } }, at('/global/tls/enabled')],
  ['a removed gRPC port (null deletes the default)', { service: { grpcPort: null } }, /grpcPort/],
];

const PER_CHART: Record<Service, Row[]> = {
  prober: [['a string for gatewayApi', { kubernetes: { gatewayApi: 'yes' } }, at('/kubernetes/gatewayApi')]],
  'peer-sync': [
    ['an unknown TSIG algorithm', { edgeDns: { tsig: { algorithm: 'hmac-md5' } } }, at('/edgeDns/tsig/algorithm')],
    ['a peer without its region (missing required)', { peers: [{ address: 'peer-sync.us.example.com:7102' }] }, /region/],
  ],
  witness: [
    ['a peer without its address (missing required)', { peers: [{ region: 'us' }] }, /address/],
    ['a quorum of zero', { quorum: 0 }, at('/quorum')],
  ],
  records: [['a string for gslbStatus', { kubernetes: { gslbStatus: 'yes' } }, at('/kubernetes/gslbStatus')]],
  dns: [
    ['an unknown Service type', { dns: { service: { type: 'NodePorts' } } }, at('/dns/service/type')],
    ['a privileged container port (no NET_BIND_SERVICE)', { dns: { containerPort: 53 } }, at('/dns/containerPort')],
    ['a string max replica count', { autoscaling: { maxReplicas: 'many' } }, at('/autoscaling/maxReplicas')],
  ],
};

let sandbox: ChartSandbox;
beforeAll(() => {
  sandbox = ChartSandbox.create();
});
afterAll(() => sandbox?.destroy());

describe.each(SERVICES.map((s) => [s]))('charts/%s values.schema.json', (chart) => {
  it('accepts the chart defaults', () => {
    expect(sandbox.tryTemplate(chart).status).toBe(0);
  });

  it.each([...COMMON, ...PER_CHART[chart]])('rejects %s, naming the field', (_name, values, field) => {
    const result = sandbox.tryTemplate(chart, { valuesFiles: [sandbox.valuesFile('bad', values)] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(field);
  });

  it.each(PER_CHART[chart])('rejects %s through the umbrella too, naming the chart', (_name, values, field) => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('bad-umbrella', { [chart]: values })] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(field);
    expect(result.stderr).toContain(chart);
  });
});

describe('charts/meridian values.schema.json', () => {
  it.each<Row>([
    ['a string for mTLS on/off', { global: { tls: { enabled: 'yes' } } }, at('/global/tls/enabled')],
    ['an unknown service', { resolver: { enabled: true } }, /resolver/],
    ['a string to turn a service off', { dns: { enabled: 'no' } }, /enabled/],
    ['a bad replica count of one service', { witness: { replicaCount: 'x' } }, /replicaCount/],
  ])('rejects %s, naming the field', (_name, values, field) => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('bad-top', values)] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(field);
  });
});
