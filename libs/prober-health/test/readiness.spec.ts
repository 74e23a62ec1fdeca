import { K8GB_STRATEGY_DEFAULTS, kindOf, ModelCache, ResourceStore, type KubeObjectJson, type ServiceHealthPolicy } from '@meridian/gslb-resources';
import { combineServiceHealth, judgeReadiness, type Health } from '../src';

const service = (name: string): KubeObjectJson => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'demo' }, spec: {} });
const slice = (name: string, svc: string, ready: (boolean | undefined)[], withAddresses = true): KubeObjectJson => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'demo', labels: { 'kubernetes.io/service-name': svc } },
  endpoints: ready.map((r) => ({ addresses: withAddresses ? ['10.0.0.1'] : [], conditions: r === undefined ? {} : { ready: r } })),
});

function store(...objects: KubeObjectJson[]): ResourceStore {
  const s = new ResourceStore();
  s.replace('t', objects.map((json) => ({ kind: kindOf(json.apiVersion, json.kind) as NonNullable<ReturnType<typeof kindOf>>, namespace: 'demo', name: String(json.metadata?.name), json, origin: 'kubernetes' })));
  return s;
}

const cache = new ModelCache({ defaults: K8GB_STRATEGY_DEFAULTS });
const svc = (name: string) => ({ namespace: 'demo', name });

describe('combineServiceHealth', () => {
  it.each<[Health[], ServiceHealthPolicy, Health]>([
    [['healthy', 'unhealthy'], 'Any', 'healthy'],
    [['unhealthy', 'notFound'], 'Any', 'unhealthy'],
    [['notFound', 'notFound'], 'Any', 'notFound'],
    [['healthy', 'notFound'], 'Any', 'healthy'],
    [['healthy', 'healthy'], 'All', 'healthy'],
    [['healthy', 'unhealthy'], 'All', 'unhealthy'],
    [['healthy', 'notFound'], 'All', 'notFound'],
    [['unhealthy', 'notFound'], 'All', 'notFound'],
    [[], 'Any', 'notFound'],
    [[], 'All', 'notFound'],
  ])('%j with %s is %s', (states, policy, expected) => {
    expect(combineServiceHealth(states, policy)).toBe(expected);
  });
});

describe('judgeReadiness (k8gb rule on EndpointSlices)', () => {
  it('is healthy when a slice has a ready endpoint, counting unset ready as ready', () => {
    const r = judgeReadiness([svc('app')], 'Any', store(service('app'), slice('app-1', 'app', [false]), slice('app-2', 'app', [undefined])), cache);
    expect(r.health).toBe('healthy');
    expect(r.message).toBe('Service demo/app: 1 of 2 endpoints ready (serviceHealthPolicy Any)');
  });

  it('is unhealthy with no ready endpoint, no slices, or endpoints without addresses', () => {
    expect(judgeReadiness([svc('app')], 'Any', store(service('app'), slice('app-1', 'app', [false, false])), cache).health).toBe('unhealthy');
    expect(judgeReadiness([svc('app')], 'Any', store(service('app')), cache).health).toBe('unhealthy');
    expect(judgeReadiness([svc('app')], 'Any', store(service('app'), slice('app-1', 'app', [true], false)), cache).health).toBe('unhealthy');
  });

  it('says NotFound for a missing Service, and applies All across two Services', () => {
    const objects = store(service('a'), slice('a-1', 'a', [true]));
    expect(judgeReadiness([svc('a'), svc('b')], 'Any', objects, cache).health).toBe('healthy');
    const all = judgeReadiness([svc('a'), svc('b')], 'All', objects, cache);
    expect(all.health).toBe('notFound');
    expect(all.message).toBe('Service demo/a: 1 of 1 endpoints ready; Service demo/b not found (serviceHealthPolicy All)');
  });
});
