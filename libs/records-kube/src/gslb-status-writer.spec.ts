import { KubeTestServer, DEFAULT_RESOURCE_TYPES } from '@meridian/kube-test-server';
import { nullLogger } from '@meridian/logging';
import { Registry } from 'prom-client';
import type { DnsEndpointRecord, GslbStatus, GslbStatusSource } from './gslb-status';
import { GslbStatusWriter, statusPatch } from './gslb-status-writer';
import { httpKubeClient, plainConnection } from './kube-client';
import { KubeStatusMetrics } from './kube-status-metrics';

class FakeSource implements GslbStatusSource {
  statuses = new Map<string, GslbStatus>();
  endpoints: DnsEndpointRecord[] = [];
  private listeners: ((keys: ReadonlySet<string>) => void)[] = [];
  gslbKeys(): string[] {
    return [...this.statuses.keys()];
  }
  statusOf(key: string): GslbStatus | undefined {
    return this.statuses.get(key);
  }
  endpointsOf(): DnsEndpointRecord[] {
    return this.endpoints;
  }
  onGslbsChanged(listener: (keys: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }
  change(key: string, status: GslbStatus): void {
    this.statuses.set(key, status);
    for (const l of this.listeners) l(new Set([key]));
  }
}

const until = async (predicate: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const status = (hosts: Record<string, string[]>): GslbStatus => ({
  serviceHealth: Object.fromEntries(Object.entries(hosts).map(([h, t]) => [h, t.length > 0 ? 'Healthy' : 'Unhealthy'])),
  healthyRecords: Object.fromEntries(Object.entries(hosts).filter(([, t]) => t.length > 0)),
  geoTag: 'eu',
  hosts: Object.keys(hosts).join(', '),
});

describe('statusPatch', () => {
  it.each([
    ['nothing written yet', {}, status({ a: ['1.1.1.1'] }), { serviceHealth: { a: 'Healthy' }, healthyRecords: { a: ['1.1.1.1'] }, geoTag: 'eu', hosts: 'a' }],
    ['already current', status({ a: ['1.1.1.1'] }), status({ a: ['1.1.1.1'] }), undefined],
    ['a host went away: its entries are nulled', status({ a: ['1.1.1.1'], b: ['2.2.2.2'] }), status({ a: ['1.1.1.1'] }), { serviceHealth: { b: null }, healthyRecords: { b: null }, hosts: 'a' }],
    ['a target changed', status({ a: ['1.1.1.1'] }), status({ a: ['1.1.1.2'] }), { healthyRecords: { a: ['1.1.1.2'] } }],
  ])('%s', (_what, current, desired, expected) => {
    expect(statusPatch(current as Record<string, unknown>, desired)).toEqual(expected);
  });
});

describe('GslbStatusWriter against the test API server', () => {
  let server: KubeTestServer;
  beforeEach(async () => {
    server = await KubeTestServer.start({
      resourceTypes: [
        ...DEFAULT_RESOURCE_TYPES,
        { group: 'externaldns.k8s.io', version: 'v1alpha1', kind: 'DNSEndpoint', plural: 'dnsendpoints', singular: 'dnsendpoint', namespaced: true, statusSubresource: true, builtIn: false },
      ],
    });
    server.put({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: { name: 'app', namespace: 'demo' }, spec: { strategy: { type: 'roundRobin' } } });
    server.put({ apiVersion: 'k8gb.absa.oss/v1beta1', kind: 'Gslb', metadata: { name: 'legacy', namespace: 'demo' }, spec: { strategy: { type: 'failover', primaryGeoTag: 'eu' } } });
  });
  afterEach(async () => server.stop());

  const writer = (source: FakeSource, registry = new Registry(), dnsEndpoints = false) =>
    new GslbStatusWriter({
      client: httpKubeClient(plainConnection(server.url)),
      source,
      logger: nullLogger,
      metrics: new KubeStatusMetrics(registry),
      writeStatus: true,
      writeDnsEndpoints: dnsEndpoints,
      intervalMs: 0,
    });

  const statusOf = (apiVersion: string, name: string) => (server.get(apiVersion, 'Gslb', 'demo', name) as { status?: Record<string, unknown> }).status;

  it('writes nothing until it leads; then writes every Gslb, in either API group, through the status subresource', async () => {
    const source = new FakeSource();
    source.statuses.set('demo/app', status({ 'app.gslb.example.com': ['10.1.0.1'] }));
    source.statuses.set('demo/legacy', status({ 'legacy.gslb.example.com': [] }));
    const w = writer(source);
    source.change('demo/app', status({ 'app.gslb.example.com': ['10.1.0.1', '10.1.0.2'] }));
    await new Promise((r) => setTimeout(r, 100));
    expect(statusOf('k8gb.io/v1beta1', 'app')).toBeUndefined();
    w.setLeading(true);
    await until(() => statusOf('k8gb.absa.oss/v1beta1', 'legacy') !== undefined && statusOf('k8gb.io/v1beta1', 'app') !== undefined, 'both statuses');
    expect(statusOf('k8gb.io/v1beta1', 'app')).toEqual({
      serviceHealth: { 'app.gslb.example.com': 'Healthy' },
      healthyRecords: { 'app.gslb.example.com': ['10.1.0.1', '10.1.0.2'] },
      geoTag: 'eu',
      hosts: 'app.gslb.example.com',
    });
    expect(statusOf('k8gb.absa.oss/v1beta1', 'legacy')).toMatchObject({ serviceHealth: { 'legacy.gslb.example.com': 'Unhealthy' }, healthyRecords: {} });
    expect(server.requests.filter((r) => r.method === 'PATCH').every((r) => r.path.endsWith('/status'))).toBe(true);
    w.stop();
  });

  it('skips writes that change nothing, and stops writing when it stops leading', async () => {
    const source = new FakeSource();
    source.statuses.set('demo/app', status({ a: ['1.1.1.1'] }));
    const w = writer(source);
    w.setLeading(true);
    await until(() => statusOf('k8gb.io/v1beta1', 'app') !== undefined, 'the first write');
    await w.idle();
    const patches = () => server.requests.filter((r) => r.method === 'PATCH').length;
    const before = patches();
    source.change('demo/app', status({ a: ['1.1.1.1'] }));
    await new Promise((r) => setTimeout(r, 100));
    expect(patches()).toBe(before);
    w.setLeading(false);
    source.change('demo/app', status({ a: ['9.9.9.9'] }));
    await new Promise((r) => setTimeout(r, 100));
    expect(patches()).toBe(before);
    expect((statusOf('k8gb.io/v1beta1', 'app') as { healthyRecords: unknown }).healthyRecords).toEqual({ a: ['1.1.1.1'] });
  });

  it('writes a k8gb-style DNSEndpoint owned by the Gslb when asked to', async () => {
    const source = new FakeSource();
    source.statuses.set('demo/app', status({ a: ['1.1.1.1'] }));
    source.endpoints = [{ dnsName: 'app.gslb.example.com', recordType: 'A', recordTTL: 30, targets: ['10.1.0.1'] }];
    const w = writer(source, new Registry(), true);
    w.setLeading(true);
    await until(() => server.get('externaldns.k8s.io/v1alpha1', 'DNSEndpoint', 'demo', 'app') !== undefined, 'the DNSEndpoint');
    const ep = server.get('externaldns.k8s.io/v1alpha1', 'DNSEndpoint', 'demo', 'app') as unknown as { metadata: { ownerReferences: { kind: string }[]; annotations: Record<string, string> }; spec: unknown };
    expect(ep.spec).toEqual({ endpoints: [{ dnsName: 'app.gslb.example.com', recordType: 'A', recordTTL: 30, targets: ['10.1.0.1'] }] });
    expect(ep.metadata.ownerReferences[0]?.kind).toBe('Gslb');
    expect(ep.metadata.annotations['k8gb.absa.oss/dnstype']).toBe('local');
    w.stop();
  });
});
