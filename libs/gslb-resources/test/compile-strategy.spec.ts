import { compileStrategy, K8GB_STRATEGY_DEFAULTS, type FieldProblem, type StrategyFields } from '../src';

function compile(strategy: Record<string, unknown>, annotations: Record<string, string> = {}) {
  const fields: StrategyFields = {
    type: { value: strategy['type'], field: 'spec.strategy.type' },
    primaryGeoTag: { value: strategy['primaryGeoTag'], field: 'spec.strategy.primaryGeoTag' },
    weight: { value: strategy['weight'], field: 'spec.strategy.weight' },
    dnsTtlSeconds: { value: strategy['dnsTtlSeconds'], field: 'spec.strategy.dnsTtlSeconds' },
  };
  const problems: FieldProblem[] = [];
  const spec = compileStrategy(fields, annotations, { defaults: K8GB_STRATEGY_DEFAULTS, knownGeoTags: ['eu', 'us', 'za'] }, problems);
  return { spec, problems: problems.map((p) => `${p.field}: ${p.problem}`) };
}

describe('compileStrategy', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>, Record<string, unknown>]>([
    ['plain roundRobin with k8gb defaults', { type: 'roundRobin' }, {}, { type: 'roundRobin', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', weightedMode: 'reorderAll' }],
    ['integer weights', { type: 'roundRobin', weight: { eu: 80, us: 20 } }, {}, { weight: { eu: 80, us: 20 } }],
    ['k8gb percentage weights', { type: 'roundRobin', weight: { eu: '35%', us: ' 65 %' } }, {}, { weight: { eu: 35, us: 65 } }],
    ['failover with one primary', { type: 'failover', primaryGeoTag: 'eu', dnsTtlSeconds: 5 }, {}, { primaryGeoTag: 'eu', dnsTtlSeconds: 5 }],
    ['an ordered failover list', { type: 'failover', primaryGeoTag: 'eu' }, { 'meridian.io/failover-order': 'eu, za ,us' }, { primaryGeoTag: ['eu', 'za', 'us'] }],
    ['a failover list alone', { type: 'failover' }, { 'meridian.io/failover-order': 'us,eu' }, { primaryGeoTag: ['us', 'eu'] }],
    ['Meridian modes', { type: 'roundRobin', weight: { eu: 1 } }, { 'meridian.io/when-all-unhealthy': 'failOpen', 'meridian.io/weighted-mode': 'chosenOnly' }, { whenAllUnhealthy: 'failOpen', weightedMode: 'chosenOnly' }],
    ['dnsTtlSeconds 0 as k8gb omitempty', { type: 'geoip', dnsTtlSeconds: 0 }, {}, { dnsTtlSeconds: 30 }],
  ])('compiles %s', (_name, strategy, annotations, expected) => {
    const { spec, problems } = compile(strategy, annotations);
    expect(problems).toEqual([]);
    expect(spec).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, string[]]>([
    ['a missing type', {}, {}, ['spec.strategy.type: is required']],
    ['an unknown type', { type: 'random' }, {}, ['spec.strategy.type: is not a known strategy type']],
    ['failover without a primary', { type: 'failover' }, {}, ['spec.strategy.primaryGeoTag: is required for failover']],
    ['an unknown region', { type: 'failover', primaryGeoTag: 'mars' }, {}, ['spec.strategy.primaryGeoTag: is not a known region']],
    ['an unknown region in the failover list', { type: 'failover' }, { 'meridian.io/failover-order': 'eu,mars' }, ['metadata.annotations["meridian.io/failover-order"][1]: is not a known region']],
    ['a list that contradicts primaryGeoTag', { type: 'failover', primaryGeoTag: 'us' }, { 'meridian.io/failover-order': 'eu,us' }, ['metadata.annotations["meridian.io/failover-order"]: must start with spec.strategy.primaryGeoTag "us"']],
    ['a weight out of range', { type: 'roundRobin', weight: { eu: 2000 } }, {}, ['spec.strategy.weight.eu: must be an integer from 0 to 1000']],
    ['a weight that is not a number', { type: 'roundRobin', weight: { eu: 'lots' } }, {}, ['spec.strategy.weight.eu: must be a whole number from 0 to 1000']],
    ['weights on failover', { type: 'failover', primaryGeoTag: 'eu', weight: { eu: 1 } }, {}, ['spec.strategy.weight: applies only to roundRobin, not failover']],
    ['a negative TTL', { type: 'roundRobin', dnsTtlSeconds: -1 }, {}, ['spec.strategy.dnsTtlSeconds: must be a whole number of seconds']],
    ['an unknown mode', { type: 'roundRobin' }, { 'meridian.io/when-all-unhealthy': 'panic' }, ['metadata.annotations["meridian.io/when-all-unhealthy"]: is not a known mode']],
  ])('reports %s with the field it came from', (_name, strategy, annotations, expected) => {
    const { spec, problems } = compile(strategy, annotations);
    expect(spec).toBeUndefined();
    expect(problems).toEqual(expected);
  });
});
