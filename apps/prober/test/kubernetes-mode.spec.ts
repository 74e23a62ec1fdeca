import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeTestServer, type KubeObject } from '@meridian/kube-test-server';
import { AddressFamily, HealthState, TargetSource } from '@meridian/proto';
import { runServiceToExit, scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { LocalTargetsWatcher } from './support/local-targets-watcher';
import { makeTestPki } from '@meridian/testing';
import { startSampleApp, type SampleApp } from './support/sample-app';

const ns = 'demo';
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: ns, ...extra });
const paths = (...services: string[]) => ({ paths: services.map((s) => ({ path: '/', pathType: 'Prefix', backend: { service: { name: s, port: { number: 80 } } } })) });

const service = (name: string, type = 'ClusterIP', lbIps: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name),
  spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  status: { loadBalancer: { ingress: lbIps.map((ip) => ({ ip })) } },
});

const endpointSlice = (svc: string, ready: boolean): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: meta(`${svc}-x7k2p`, { labels: { 'kubernetes.io/service-name': svc, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } }),
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.7'], conditions: { ready, serving: ready, terminating: false }, nodeName: 'node-1' }],
  ports: [{ name: '', port: 8080, protocol: 'TCP' }],
});

function objects(app: SampleApp): KubeObject[] {
  const check = JSON.stringify([{ name: 'app', url: `http://127.0.0.1:${app.port}/healthz`, intervalSeconds: 0.2, timeoutSeconds: 0.2, rise: 1, fall: 1, jitter: 0 }]);
  return [
    // k8gb.io: a Gslb referencing an Ingress, whose status holds the addresses; an active check from the annotation.
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('web', { annotations: { 'meridian.io/checks': check } }), spec: { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, strategy: { type: 'roundRobin', dnsTtlSeconds: 30 } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: { ingressClassName: 'nginx', rules: [{ host: 'web.gslb.example.com', http: paths('web') }] },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { ip: '2001:db8:e::10' }] } },
    },
    service('web'),
    endpointSlice('web', true),
    // The legacy API group, embedded Ingress, addresses from k8gb's annotation.
    {
      apiVersion: 'k8gb.absa.oss/v1beta1',
      kind: 'Gslb',
      metadata: meta('legacy', { annotations: { 'k8gb.io/exposed-ip-addresses': '192.0.2.20' } }),
      spec: { ingress: { rules: [{ host: 'legacy.gslb.example.com', http: paths('legacy') }] }, strategy: { type: 'failover', primaryGeoTag: 'eu' } },
    },
    service('legacy'),
    endpointSlice('legacy', true),
    // Two Services, one missing: All says NotFound, Any says Healthy.
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('all', { annotations: { 'k8gb.io/exposed-ip-addresses': '192.0.2.30' } }), spec: { serviceHealthPolicy: 'All', ingress: { rules: [{ host: 'all.gslb.example.com', http: paths('web', 'missing') }] }, strategy: { type: 'roundRobin' } } },
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('any', { annotations: { 'k8gb.io/exposed-ip-addresses': '192.0.2.31' } }), spec: { serviceHealthPolicy: 'Any', ingress: { rules: [{ host: 'any.gslb.example.com', http: paths('web', 'missing') }] }, strategy: { type: 'roundRobin' } } },
    // Gateway API: an HTTPRoute on a Gateway whose status holds the addresses.
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('route'), spec: { resourceRef: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', name: 'route' }, strategy: { type: 'geoip' } } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('route'), spec: { parentRefs: [{ name: 'gw' }], hostnames: ['route.gslb.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('gw'), spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] }, status: { addresses: [{ type: 'IPAddress', value: '192.0.2.40' }] } },
    // A LoadBalancer Service named by k8gb.io/hostname.
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('lb', { annotations: { 'k8gb.io/hostname': 'lb.gslb.example.com' } }), spec: { resourceRef: { apiVersion: 'v1', kind: 'Service', name: 'lb' }, strategy: { type: 'roundRobin' } } },
    service('lb', 'LoadBalancer', ['192.0.2.50']),
    endpointSlice('lb', true),
    // Invalid: no strategy type. Reported; the others keep working.
    { apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: meta('bad', { annotations: { 'k8gb.io/exposed-ip-addresses': '192.0.2.60' } }), spec: { ingress: { rules: [{ host: 'bad.gslb.example.com', http: paths('web') }] }, strategy: { dnsTtlSeconds: 30 } } },
  ];
}

const EXPECTED_HOSTS = ['all.gslb.example.com', 'any.gslb.example.com', 'lb.gslb.example.com', 'legacy.gslb.example.com', 'route.gslb.example.com', 'web.gslb.example.com'];
const health = (w: LocalTargetsWatcher, host: string) => w.hosts.get(host)?.serviceHealth;

describe('prober in Kubernetes mode, against the test API server over HTTPS with a bearer token', () => {
  let server: KubeTestServer;
  let proc: ServiceProcess;
  let watcher: LocalTargetsWatcher;
  let app: SampleApp;

  beforeAll(async () => {
    const pki = makeTestPki();
    server = await KubeTestServer.start({ tls: { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca }, token: 'prober-token', bookmarkIntervalMs: 300 });
    app = await startSampleApp();
    for (const object of objects(app)) server.put(object);
    const dir = mkdtempSync(join(tmpdir(), 'meridian-prober-kube-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig());
    proc = await startService('prober', {
      config: { region: 'eu', zones: ['gslb.example.com'], regions: ['eu', 'us'], source: { mode: 'kubernetes', kubernetes: { kubeconfig, watchTimeoutSeconds: 60 } } },
    });
    watcher = new LocalTargetsWatcher(proc.grpcAddress);
    await watcher.waitFor((w) => w.hosts.size === EXPECTED_HOSTS.length && health(w, 'web.gslb.example.com') === HealthState.HEALTH_STATE_HEALTHY, 'the initial hosts');
  });

  afterAll(async () => {
    watcher?.close();
    await proc?.stop('SIGKILL');
    await server?.stop();
    await app?.close();
  });

  it('resolves Gslbs of both API groups through Ingress, embedded Ingress, Gateway API and LoadBalancer Service', () => {
    expect([...watcher.hosts.keys()].sort()).toEqual(EXPECTED_HOSTS);
    const targets = (host: string) => watcher.hosts.get(host)?.targets.map((t) => [t.target?.address, t.target?.family, t.target?.source]);
    expect(targets('web.gslb.example.com')).toEqual([
      ['192.0.2.10', AddressFamily.ADDRESS_FAMILY_IPV4, TargetSource.TARGET_SOURCE_INGRESS],
      ['2001:db8:e::10', AddressFamily.ADDRESS_FAMILY_IPV6, TargetSource.TARGET_SOURCE_INGRESS],
    ]);
    expect(targets('legacy.gslb.example.com')).toEqual([['192.0.2.20', AddressFamily.ADDRESS_FAMILY_IPV4, TargetSource.TARGET_SOURCE_EXPOSED_IP_ANNOTATION]]);
    expect(targets('route.gslb.example.com')).toEqual([['192.0.2.40', AddressFamily.ADDRESS_FAMILY_IPV4, TargetSource.TARGET_SOURCE_GATEWAY]]);
    expect(targets('lb.gslb.example.com')).toEqual([['192.0.2.50', AddressFamily.ADDRESS_FAMILY_IPV4, TargetSource.TARGET_SOURCE_LOAD_BALANCER]]);
    expect(watcher.hosts.get('legacy.gslb.example.com')?.spec?.gslb).toBe('demo/legacy');
    expect(health(watcher, 'legacy.gslb.example.com')).toBe(HealthState.HEALTH_STATE_HEALTHY);
    expect(watcher.hosts.get('web.gslb.example.com')?.targets[0]?.checks.map((c) => [c.check, c.passed])).toEqual([
      ['readiness', true],
      ['app', true],
    ]);
  });

  it('says NotFound for serviceHealthPolicy All with one of two Services missing, and Healthy for Any', () => {
    expect(health(watcher, 'all.gslb.example.com')).toBe(HealthState.HEALTH_STATE_NOT_FOUND);
    expect(watcher.targetState('all.gslb.example.com', '192.0.2.30')).toBe(HealthState.HEALTH_STATE_NOT_FOUND);
    expect(watcher.hosts.get('all.gslb.example.com')?.targets[0]?.checks[0]?.message).toBe('Service demo/missing not found; Service demo/web: 1 of 1 endpoints ready (serviceHealthPolicy All)');
    expect(health(watcher, 'any.gslb.example.com')).toBe(HealthState.HEALTH_STATE_HEALTHY);
  });

  it('reports the invalid Gslb while every other one keeps working, and picks it up once fixed', async () => {
    expect(watcher.problems).toEqual([
      { source: 'kubernetes', resource: 'Gslb/demo/bad', field: 'spec.strategy.type', message: 'is required (got nothing); fix: use one of: roundRobin, failover, geoip' },
    ]);
    expect(watcher.hosts.has('bad.gslb.example.com')).toBe(false);
    const metrics = await scrapeMetrics(proc.metricsPort);
    expect(metrics).toContain('meridian_prober_spec_problems{source="kubernetes"} 1');
    server.patch('k8gb.io/v1beta1', 'Gslb', ns, 'bad', { spec: { strategy: { type: 'roundRobin' } } });
    await watcher.waitFor((w) => w.problems.length === 0 && w.hosts.has('bad.gslb.example.com'), 'the fixed Gslb');
  });

  it('turns a Gslb unhealthy when its Ingress backend Service loses its ready endpoints, and back', async () => {
    server.put(endpointSlice('web', false));
    await watcher.waitFor(
      (w) => health(w, 'web.gslb.example.com') === HealthState.HEALTH_STATE_UNHEALTHY && w.targetState('web.gslb.example.com', '2001:db8:e::10') === HealthState.HEALTH_STATE_UNHEALTHY,
      'web unhealthy',
    );
    expect(watcher.hosts.get('web.gslb.example.com')?.targets[0]?.checks[0]).toMatchObject({ check: 'readiness', passed: false, message: 'Service demo/web: 0 of 1 endpoints ready (serviceHealthPolicy Any)' });
    // The route's backend is the same Service; the other Gslbs are untouched.
    expect(health(watcher, 'route.gslb.example.com')).toBe(HealthState.HEALTH_STATE_UNHEALTHY);
    expect(health(watcher, 'legacy.gslb.example.com')).toBe(HealthState.HEALTH_STATE_HEALTHY);
    server.put(endpointSlice('web', true));
    await watcher.waitFor((w) => health(w, 'web.gslb.example.com') === HealthState.HEALTH_STATE_HEALTHY, 'web healthy again');
  });

  it('combines readiness with the active check from the meridian.io/checks annotation', async () => {
    app.setStatus(500);
    await watcher.waitFor((w) => health(w, 'web.gslb.example.com') === HealthState.HEALTH_STATE_UNHEALTHY, 'the check failing');
    const check = watcher.hosts.get('web.gslb.example.com')?.targets[0]?.checks[1];
    expect(check).toMatchObject({ check: 'app', passed: false, message: expect.stringContaining('HTTP 500, expected 200-399') });
    app.setStatus(200);
    await watcher.waitFor((w) => health(w, 'web.gslb.example.com') === HealthState.HEALTH_STATE_HEALTHY, 'the check passing');
  });

  it('resumes a cut watch from its resourceVersion, without listing again, and misses nothing', async () => {
    const lists = () => server.requests.filter((r) => !r.watch && r.path.endsWith('/endpointslices')).length;
    const listsBefore = lists();
    const watchesBefore = server.requests.filter((r) => r.watch && r.path.endsWith('/endpointslices')).length;
    expect(server.cutWatches()).toBeGreaterThan(0);
    // Changed while no watch is open: the resumed watch must replay it.
    server.put(endpointSlice('legacy', false));
    await watcher.waitFor((w) => health(w, 'legacy.gslb.example.com') === HealthState.HEALTH_STATE_UNHEALTHY, 'the change made during the cut');
    const resumed = server.requests.filter((r) => r.watch && r.path.endsWith('/endpointslices')).slice(watchesBefore);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((r) => Number(r.query['resourceVersion']) > 0 && r.query['allowWatchBookmarks'] === 'true')).toBe(true);
    expect(lists()).toBe(listsBefore);
    server.put(endpointSlice('legacy', true));
    await watcher.waitFor((w) => health(w, 'legacy.gslb.example.com') === HealthState.HEALTH_STATE_HEALTHY, 'legacy healthy again');
  });

  it('lists again after 410 Gone and converges, including a deletion it never saw as an event', async () => {
    const lists = () => server.requests.filter((r) => !r.watch && r.path.endsWith('/gslbs')).length;
    const before = lists();
    server.cutWatches();
    server.remove('k8gb.absa.oss/v1beta1', 'Gslb', ns, 'legacy');
    server.compact();
    await watcher.waitFor((w) => !w.hosts.has('legacy.gslb.example.com'), 'the deleted Gslb gone');
    expect(lists()).toBeGreaterThan(before);
    const metrics = await scrapeMetrics(proc.metricsPort);
    expect(metrics).toMatch(/meridian_prober_source_lists_total\{kind="Gslb",reason="gone"\} [1-9]/);
    expect(metrics).toContain('meridian_prober_source_synced 1');
    expect(watcher.hosts.size).toBe(EXPECTED_HOSTS.length);
  });
});

describe('prober in Kubernetes mode, misconfigured', () => {
  it('exits 2 naming the field when the kubeconfig does not exist', async () => {
    const { code, stderr } = await runServiceToExit('prober', 'region: eu\nsource:\n  mode: kubernetes\n  kubernetes:\n    kubeconfig: /nonexistent/kubeconfig\n');
    expect(code).toBe(2);
    expect(stderr).toContain('source.kubernetes.kubeconfig: got "/nonexistent/kubeconfig"');
  });

  it('exits 2 naming the field of a bad check in the region config', async () => {
    const { code, stderr } = await runServiceToExit('prober', 'region: eu\nchecks:\n  hosts:\n    - host: "*.gslb.example.com"\n      checks:\n        - {type: tcp}\n');
    expect(code).toBe(2);
    expect(stderr).toContain('checks.hosts.0.checks.0.port');
  });
});
