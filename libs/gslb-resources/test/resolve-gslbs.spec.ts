import { K8GB_STRATEGY_DEFAULTS, ModelCache, resolveGslbs, type ResolveOptions } from '../src';
import { gslb, ingress, service, storeWith } from './objects';
import type { KubeObjectJson } from '../src';

const cache = () => new ModelCache({ defaults: K8GB_STRATEGY_DEFAULTS, knownGeoTags: ['eu', 'us', 'za'] });

function resolve(objects: KubeObjectJson[], options: ResolveOptions = {}) {
  return resolveGslbs(storeWith(...objects), cache(), options);
}

const ref = (kind: string, name: string, apiVersion = 'networking.k8s.io/v1') => ({ resourceRef: { apiVersion, kind, name }, strategy: { type: 'roundRobin' } });

describe('resolveGslbs', () => {
  it('follows a resourceRef to an Ingress: hosts from its rules, Services from its paths, addresses from its status', () => {
    const { gslbs, problems } = resolve([
      gslb('web', ref('Ingress', 'web')),
      ingress('web', ['Web.Gslb.Example.com.', 'api.gslb.example.com'], { services: ['frontend', 'backend'], ips: ['192.0.2.10', '2001:DB8:E:0::10'], hostnames: ['lb.example.net'] }),
    ]);
    expect(problems).toEqual([]);
    expect(gslbs).toHaveLength(1);
    const [web] = gslbs;
    expect(web?.hosts).toEqual([
      { host: 'web.gslb.example.com', services: [{ namespace: 'demo', name: 'backend' }, { namespace: 'demo', name: 'frontend' }] },
      { host: 'api.gslb.example.com', services: [{ namespace: 'demo', name: 'backend' }, { namespace: 'demo', name: 'frontend' }] },
    ]);
    expect(web?.targets).toEqual([
      { address: '192.0.2.10', family: 'ipv4', source: 'ingress' },
      { address: '2001:db8:e::10', family: 'ipv6', source: 'ingress' },
      { address: 'lb.example.net', family: 'name', source: 'ingress' },
    ]);
    expect(web?.model.strategy).toEqual({ type: 'roundRobin', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', weightedMode: 'reorderAll' });
    expect(web?.via).toBe('Ingress demo/web');
  });

  it('selects the Ingress by labels, and reports a selector that matches none or several', () => {
    const selected = (labels: Record<string, string>) => gslb('web', { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', matchLabels: labels }, strategy: { type: 'roundRobin' } });
    const one = resolve([selected({ app: 'web' }), ingress('a', ['a.example.com'], { labels: { app: 'web' } }), ingress('b', ['b.example.com'], { labels: { app: 'db' } })]);
    expect(one.gslbs[0]?.hosts.map((h) => h.host)).toEqual(['a.example.com']);
    const two = resolve([selected({}), ingress('a', ['a.example.com']), ingress('b', ['b.example.com'])]);
    expect(two.gslbs).toEqual([]);
    expect(two.problems).toEqual([expect.objectContaining({ resource: 'Gslb/demo/web', field: 'spec.resourceRef', message: expect.stringContaining('selects 2 Ingress resources') })]);
  });

  it('uses the Ingress named after an embedded Gslb for addresses, and k8gb.io/exposed-ip-addresses over any status', () => {
    const embedded = { ingress: { rules: [{ host: 'x.example.com', http: { paths: [{ backend: { service: { name: 'app' } } }] } }] }, strategy: { type: 'roundRobin' } };
    const fromStatus = resolve([gslb('x', embedded), ingress('x', ['ignored.example.com'], { ips: ['198.51.100.1'] })]);
    expect(fromStatus.gslbs[0]?.targets).toEqual([{ address: '198.51.100.1', family: 'ipv4', source: 'ingress' }]);
    expect(fromStatus.gslbs[0]?.hosts).toEqual([{ host: 'x.example.com', services: [{ namespace: 'demo', name: 'app' }] }]);
    const annotated = resolve([gslb('x', embedded, { 'k8gb.io/exposed-ip-addresses': '192.0.2.1, 2001:db8::1' }), ingress('x', [], { ips: ['198.51.100.1'] })]);
    expect(annotated.gslbs[0]?.targets.map((t) => [t.address, t.source])).toEqual([
      ['192.0.2.1', 'exposedIpAnnotation'],
      ['2001:db8::1', 'exposedIpAnnotation'],
    ]);
  });

  it('resolves a LoadBalancer Service with the k8gb.io/hostname annotation, and refuses other Service types', () => {
    const lb = resolve([gslb('svc', ref('Service', 'lb', 'v1'), { 'k8gb.io/hostname': 'lb.example.com' }), service('lb', 'LoadBalancer', ['203.0.113.7'])]);
    expect(lb.problems).toEqual([]);
    expect(lb.gslbs[0]).toMatchObject({ hosts: [{ host: 'lb.example.com', services: [{ namespace: 'demo', name: 'lb' }] }], targets: [{ address: '203.0.113.7', source: 'loadBalancer' }] });
    const clusterIp = resolve([gslb('svc', ref('Service', 'lb', 'v1'), { 'k8gb.io/hostname': 'lb.example.com' }), service('lb')]);
    expect(clusterIp.problems[0]?.message).toMatch(/of type ClusterIP/);
    const noHost = resolve([gslb('svc', ref('Service', 'lb', 'v1')), service('lb', 'LoadBalancer')]);
    expect(noHost.problems[0]?.field).toBe('metadata.annotations["k8gb.io/hostname"]');
  });

  it.each(['HTTPRoute', 'GRPCRoute'])('resolves a %s through its Gateway: hostnames, backend Services and Gateway status addresses', (kind) => {
    const route: KubeObjectJson = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind,
      metadata: { name: 'r', namespace: 'demo' },
      spec: {
        parentRefs: [{ name: 'gw', namespace: 'infra' }],
        hostnames: ['r.example.com'],
        rules: [{ backendRefs: [{ name: 'app', port: 80 }, { name: 'other', namespace: 'shared' }, { kind: 'ServiceImport', name: 'x' }] }],
      },
    };
    const gateway: KubeObjectJson = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'infra' },
      spec: { gatewayClassName: 'x', listeners: [] },
      status: { addresses: [{ type: 'IPAddress', value: '192.0.2.44' }, { value: '2001:db8::44' }, { type: 'Hostname', value: 'gw.example.net' }] },
    };
    const { gslbs, problems } = resolve([gslb('r', ref(kind, 'r', 'gateway.networking.k8s.io/v1')), route, gateway]);
    expect(problems).toEqual([]);
    expect(gslbs[0]?.hosts).toEqual([{ host: 'r.example.com', services: [{ namespace: 'demo', name: 'app' }, { namespace: 'shared', name: 'other' }] }]);
    expect(gslbs[0]?.targets.map((t) => `${t.family}:${t.address}:${t.source}`)).toEqual(['ipv4:192.0.2.44:gateway', 'ipv6:2001:db8::44:gateway', 'name:gw.example.net:gateway']);
    const missingGateway = resolve([gslb('r', ref(kind, 'r', 'gateway.networking.k8s.io/v1')), route]);
    expect(missingGateway.problems[0]?.message).toMatch(/Gateway infra\/gw .* does not exist/);
  });

  it('reports an invalid Gslb and keeps resolving the others', () => {
    const { gslbs, problems } = resolve([
      gslb('bad', { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, strategy: { type: 'roundrobin' } }),
      gslb('good', ref('Ingress', 'web')),
      ingress('web', ['web.example.com']),
    ]);
    expect(gslbs.map((g) => g.model.id)).toEqual(['demo/good']);
    expect(problems).toEqual([
      { source: 'kubernetes', resource: 'Gslb/demo/bad', field: 'spec.strategy.type', message: 'is not a known strategy type (got "roundrobin"); fix: use one of: roundRobin, failover, geoip' },
    ]);
  });

  it('reads both API groups; when a Gslb exists in both, k8gb.io wins; a host claimed twice goes to the first Gslb', () => {
    const { gslbs, problems } = resolve([
      gslb('a', ref('Ingress', 'web'), {}, 'k8gb.absa.oss/v1beta1'),
      gslb('a', { ...ref('Ingress', 'web'), strategy: { type: 'failover', primaryGeoTag: 'eu' } }),
      gslb('legacy-only', ref('Ingress', 'other'), {}, 'k8gb.absa.oss/v1beta1'),
      gslb('z-dup', ref('Ingress', 'web')),
      ingress('web', ['web.example.com']),
      ingress('other', ['other.example.com']),
    ]);
    expect(gslbs.map((g) => [g.model.id, g.model.apiGroup, g.model.strategy.type, g.hosts.map((h) => h.host)])).toEqual([
      ['demo/a', 'k8gb.io', 'failover', ['web.example.com']],
      ['demo/legacy-only', 'k8gb.absa.oss', 'roundRobin', ['other.example.com']],
      ['demo/z-dup', 'k8gb.io', 'roundRobin', []],
    ]);
    expect(problems).toEqual([expect.objectContaining({ resource: 'Gslb/demo/z-dup', field: 'spec.rules[0].host', message: expect.stringContaining('already declared by Gslb demo/a') })]);
  });

  it('turns an Ingress with k8gb annotations into a Gslb of its own, unless a Gslb of that name exists', () => {
    const annotated = ingress('shop', ['shop.example.com'], { ips: ['192.0.2.5'], annotations: { 'k8gb.io/strategy': 'failover', 'k8gb.io/primary-geotag': 'eu', 'k8gb.io/dns-ttl-seconds': '5' } });
    const implicit = resolve([annotated]);
    expect(implicit.problems).toEqual([]);
    expect(implicit.gslbs[0]?.model).toMatchObject({ id: 'demo/shop', declaredBy: 'Ingress', strategy: { type: 'failover', primaryGeoTag: 'eu', dnsTtlSeconds: 5 } });
    const explicit = resolve([annotated, gslb('shop', ref('Ingress', 'shop'))]);
    expect(explicit.gslbs.map((g) => [g.model.declaredBy, g.model.strategy.type])).toEqual([['Gslb', 'roundRobin']]);
    const broken = resolve([ingress('shop', ['shop.example.com'], { annotations: { 'k8gb.io/strategy': 'failover' } })]);
    expect(broken.problems).toEqual([expect.objectContaining({ resource: 'Ingress/demo/shop', field: 'metadata.annotations["k8gb.io/primary-geotag"]' })]);
  });

  it('skips hosts outside the served zones, wildcards, host-less rules and bad names, reporting each', () => {
    const { gslbs, problems } = resolve(
      [gslb('web', ref('Ingress', 'web')), ingress('web', ['in.gslb.example.com', 'out.example.org', '*.gslb.example.com', '', 'bad_name!.gslb.example.com'])],
      { zones: ['gslb.example.com'] },
    );
    expect(gslbs[0]?.hosts.map((h) => h.host)).toEqual(['in.gslb.example.com']);
    expect(problems.map((p) => p.message.split(' (got')[0])).toEqual([
      'is not in a zone this region serves (gslb.example.com)',
      'is a wildcard, which a GSLB cannot answer for',
      'is empty: a rule without a host cannot be a GSLB host',
      'is not a valid DNS host name',
    ]);
  });

  it('reports a resourceRef to a missing object and to a kind it cannot resolve', () => {
    const { problems } = resolve([gslb('a', ref('Ingress', 'nope')), gslb('b', ref('VirtualService', 'vs', 'networking.istio.io/v1'))]);
    expect(problems.map((p) => [p.resource, p.field])).toEqual([
      ['Gslb/demo/a', 'spec.resourceRef.name'],
      ['Gslb/demo/b', 'spec.resourceRef'],
    ]);
  });
});
