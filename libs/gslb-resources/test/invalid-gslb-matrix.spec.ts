import { K8GB_STRATEGY_DEFAULTS, ModelCache, resolveGslbs, type KubeObjectJson } from '../src';
import { gslb, ingress, storeWith } from './objects';

// Issue #11: a Gslb with any invalid field gets a problem naming that field, the value and the
// fix, and only that Gslb is left out: the good ones around it (in the same source, as in a
// file of several documents) resolve as before.
const cache = () => new ModelCache({ defaults: K8GB_STRATEGY_DEFAULTS, knownGeoTags: ['eu', 'us', 'za'] });
const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'bad' };
const valid = { resourceRef: ref, strategy: { type: 'roundRobin' } };
const withStrategy = (strategy: Record<string, unknown>) => ({ resourceRef: ref, strategy });

type Case = [what: string, spec: unknown, annotations: Record<string, string>, field: string];
const cases: Case[] = [
  ['no spec', undefined, {}, 'spec'],
  ['a spec that is a string', 'roundRobin', {}, 'spec'],
  ['neither resourceRef nor ingress', { strategy: { type: 'roundRobin' } }, {}, 'spec'],
  ['no strategy', { resourceRef: ref }, {}, 'spec.strategy.type'],
  ['a strategy type that is a number', withStrategy({ type: 7 }), {}, 'spec.strategy.type'],
  ['an unknown strategy type', withStrategy({ type: 'random' }), {}, 'spec.strategy.type'],
  ['failover without primaryGeoTag', withStrategy({ type: 'failover' }), {}, 'spec.strategy.primaryGeoTag'],
  ['a primaryGeoTag that is a number', withStrategy({ type: 'failover', primaryGeoTag: 3 }), {}, 'spec.strategy.primaryGeoTag'],
  ['a primaryGeoTag that is a list', withStrategy({ type: 'failover', primaryGeoTag: ['eu', 'us'] }), {}, 'spec.strategy.primaryGeoTag'],
  ['a primaryGeoTag of an unknown region', withStrategy({ type: 'failover', primaryGeoTag: 'mars' }), {}, 'spec.strategy.primaryGeoTag'],
  ['a weight that is a list', withStrategy({ type: 'roundRobin', weight: [1, 2] }), {}, 'spec.strategy.weight'],
  ['a weight that is a string', withStrategy({ type: 'roundRobin', weight: 'eu=1' }), {}, 'spec.strategy.weight'],
  ['a negative weight', withStrategy({ type: 'roundRobin', weight: { eu: -1 } }), {}, 'spec.strategy.weight.eu'],
  ['a weight above 1000', withStrategy({ type: 'roundRobin', weight: { eu: 1001 } }), {}, 'spec.strategy.weight.eu'],
  ['a fractional weight', withStrategy({ type: 'roundRobin', weight: { eu: 1.5 } }), {}, 'spec.strategy.weight.eu'],
  ['a weight that is words', withStrategy({ type: 'roundRobin', weight: { eu: 'lots' } }), {}, 'spec.strategy.weight.eu'],
  ['a weight for an unknown region', withStrategy({ type: 'roundRobin', weight: { mars: 10 } }), {}, 'spec.strategy.weight.mars'],
  ['weights on failover', withStrategy({ type: 'failover', primaryGeoTag: 'eu', weight: { eu: 1 } }), {}, 'spec.strategy.weight'],
  ['a negative dnsTtlSeconds', withStrategy({ type: 'roundRobin', dnsTtlSeconds: -5 }), {}, 'spec.strategy.dnsTtlSeconds'],
  ['a fractional dnsTtlSeconds', withStrategy({ type: 'roundRobin', dnsTtlSeconds: 2.5 }), {}, 'spec.strategy.dnsTtlSeconds'],
  ['a dnsTtlSeconds that is words', withStrategy({ type: 'roundRobin', dnsTtlSeconds: 'thirty' }), {}, 'spec.strategy.dnsTtlSeconds'],
  ['an unknown serviceHealthPolicy', { ...valid, serviceHealthPolicy: 'Most' }, {}, 'spec.serviceHealthPolicy'],
  ['a serviceHealthPolicy that is a number', { ...valid, serviceHealthPolicy: 1 }, {}, 'spec.serviceHealthPolicy'],
  ['a resourceRef that is a string', { resourceRef: 'Ingress/bad', strategy: { type: 'roundRobin' } }, {}, 'spec.resourceRef'],
  ['a resourceRef to a kind Meridian cannot resolve', { resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, strategy: { type: 'roundRobin' } }, {}, 'spec.resourceRef'],
  ['a resourceRef without name or selector', { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, strategy: { type: 'roundRobin' } }, {}, 'spec.resourceRef'],
  ['an unknown meridian.io/when-all-unhealthy', valid, { 'meridian.io/when-all-unhealthy': 'panic' }, 'metadata.annotations["meridian.io/when-all-unhealthy"]'],
  ['an unknown meridian.io/weighted-mode', valid, { 'meridian.io/weighted-mode': 'heaviest' }, 'metadata.annotations["meridian.io/weighted-mode"]'],
  ['an empty meridian.io/failover-order', withStrategy({ type: 'failover' }), { 'meridian.io/failover-order': ' , ' }, 'metadata.annotations["meridian.io/failover-order"]'],
  ['an unknown region in meridian.io/failover-order', withStrategy({ type: 'failover' }), { 'meridian.io/failover-order': 'eu,mars' }, 'metadata.annotations["meridian.io/failover-order"][1]'],
  ['a k8gb.io/exposed-ip-addresses that is not an address', valid, { 'k8gb.io/exposed-ip-addresses': '192.0.2.1,not-an-ip' }, 'metadata.annotations["k8gb.io/exposed-ip-addresses"]'],
  ['a k8gb.io/exposed-ip-addresses with no address', valid, { 'k8gb.io/exposed-ip-addresses': ' , ' }, 'metadata.annotations["k8gb.io/exposed-ip-addresses"]'],
];

function badGslb(spec: unknown, annotations: Record<string, string>): KubeObjectJson {
  const object = gslb('bad', {}, annotations);
  if (spec === undefined) delete (object as { spec?: unknown }).spec;
  else (object as { spec: unknown }).spec = spec;
  return object;
}

it.each(cases)('%s: a problem naming the field with the value and a fix; the good Gslbs around it still resolve', (_what, spec, annotations, field) => {
  const objects = [
    gslb('alpha', { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'alpha' }, strategy: { type: 'roundRobin' } }),
    badGslb(spec, annotations),
    gslb('omega', { resourceRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'omega' }, strategy: { type: 'failover', primaryGeoTag: 'eu' } }),
    ingress('alpha', ['alpha.gslb.example.com'], { ips: ['192.0.2.1'] }),
    ingress('bad', ['bad.gslb.example.com'], { ips: ['192.0.2.2'] }),
    ingress('omega', ['omega.gslb.example.com'], { ips: ['192.0.2.3'] }),
  ];
  const { gslbs, problems } = resolveGslbs(storeWith(...objects), cache());
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) expect(p.resource).toBe('Gslb/demo/bad');
  const problem = problems.find((p) => p.field === field);
  expect(problem).toBeDefined();
  expect(problem?.message).toMatch(/\(got .+\); fix: \S/);
  expect(gslbs.map((g) => g.model.name)).toEqual(['alpha', 'omega']);
  expect(gslbs.flatMap((g) => g.hosts.map((h) => h.host))).toEqual(['alpha.gslb.example.com', 'omega.gslb.example.com']);
});
