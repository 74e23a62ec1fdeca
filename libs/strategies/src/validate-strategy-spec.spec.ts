import {
  InvalidStrategyConfigError,
  StrategyConfigError,
  StrategyRegistry,
  computePlan,
  createDefaultStrategyRegistry,
  roundRobinRegistration,
  validateStrategySpec,
  type StrategySpec,
} from './index';
import { inputs, region, spec } from '../test/support/fixtures';

const known = { knownGeoTags: ['eu', 'us', 'za'] };
const bad = <T>(value: unknown): T => value as T;

describe('validateStrategySpec', () => {
  it.each<[string, StrategySpec, string]>([
    ['unknown strategy type', spec({ type: bad('random') }), 'spec.type: is not a known strategy type (got "random"); fix: use one of: roundRobin, failover, geoip'],
    ['weight above 1000', spec({ weight: { eu: 1001 } }), 'spec.weight.eu: must be an integer from 0 to 1000 (got 1001)'],
    ['negative weight', spec({ weight: { eu: -1 } }), 'spec.weight.eu: must be an integer from 0 to 1000 (got -1)'],
    ['fractional weight', spec({ weight: { eu: 0.5 } }), 'spec.weight.eu: must be an integer'],
    ['unknown geotag in weights', spec({ weight: { mars: 10 } }), 'spec.weight.mars: is not a known region (got "mars"); fix: use one of: eu, us, za'],
    ['weights on failover', spec({ type: 'failover', primaryGeoTag: 'eu', weight: { eu: 1 } }), 'spec.weight: applies only to roundRobin, not failover'],
    ['weights on geoip', spec({ type: 'geoip', weight: { eu: 1 } }), 'spec.weight: applies only to roundRobin, not geoip'],
    ['failover without primaryGeoTag', spec({ type: 'failover' }), 'spec.primaryGeoTag: is required for failover'],
    ['primaryGeoTag empty', spec({ type: 'failover', primaryGeoTag: '' }), 'spec.primaryGeoTag: must be a non-empty geotag (got "")'],
    ['primaryGeoTag an empty list', spec({ type: 'roundRobin', primaryGeoTag: [] }), 'spec.primaryGeoTag: is an empty list'],
    ['primaryGeoTag unknown', spec({ type: 'failover', primaryGeoTag: 'mars' }), 'spec.primaryGeoTag: is not a known region'],
    ['primaryGeoTag listed twice', spec({ type: 'failover', primaryGeoTag: ['eu', 'eu'] }), 'spec.primaryGeoTag[1]: is listed twice'],
    ['primaryGeoTag entry not a string', spec({ type: 'failover', primaryGeoTag: bad([7]) }), 'spec.primaryGeoTag[0]: must be a non-empty geotag (got 7)'],
    ['negative TTL', spec({ dnsTtlSeconds: -1 }), 'spec.dnsTtlSeconds: must be an integer from 0 to 2147483647'],
    ['TTL not a number', spec({ dnsTtlSeconds: NaN }), '(got NaN)'],
    ['TTL too big', spec({ dnsTtlSeconds: 2 ** 31 }), 'spec.dnsTtlSeconds'],
    ['unknown whenAllUnhealthy', spec({ whenAllUnhealthy: bad('panic') }), 'spec.whenAllUnhealthy: is not a known mode (got "panic"); fix: use one of: failOpen, empty, lastKnownGood'],
    ['unknown weightedMode', spec({ weight: { eu: 1 }, weightedMode: bad('fancy') }), 'spec.weightedMode: is not a known mode'],
    ['proximity of an unknown region', spec({ proximity: { mars: ['eu'] } }), 'spec.proximity.mars: is not a known region'],
    ['proximity listing an unknown region', spec({ proximity: { eu: ['us', 'mars'] } }), 'spec.proximity.eu[1]: is not a known region'],
    ['proximity not a list', spec({ proximity: bad({ eu: 'us' }) }), 'spec.proximity.eu: must be a list of geotags (got "us")'],
  ])('%s', (_name, invalid, message) => {
    const errors = validateStrategySpec(invalid, known);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
    expect(errors[0]).toBeInstanceOf(StrategyConfigError);
  });

  it('accepts k8gb-style specs', () => {
    expect(validateStrategySpec(spec({ type: 'failover', primaryGeoTag: 'eu' }), known)).toEqual([]);
    expect(validateStrategySpec(spec({ weight: { eu: 35, us: 50, za: 15 }, weightedMode: 'chosenOnly' }), known)).toEqual([]);
    expect(validateStrategySpec(spec({ type: 'geoip', proximity: { eu: ['us', 'za'] } }), known)).toEqual([]);
    expect(validateStrategySpec(spec({ weight: {} }), known)).toEqual([]);
  });

  it('without known regions, any non-empty geotag goes', () => {
    expect(validateStrategySpec(spec({ weight: { mars: 1 } }))).toEqual([]);
  });

  it('returns every error, not just the first, under the given path', () => {
    const errors = validateStrategySpec(
      spec({ type: 'failover', primaryGeoTag: '', weight: { eu: 5000, mars: 1 }, dnsTtlSeconds: -5, whenAllUnhealthy: bad('x') }),
      { ...known, path: 'spec.strategy' },
    );
    expect(errors.map((e) => e.field)).toEqual([
      'spec.strategy.weight',
      'spec.strategy.dnsTtlSeconds',
      'spec.strategy.whenAllUnhealthy',
      'spec.strategy.primaryGeoTag',
      'spec.strategy.weight.eu',
      'spec.strategy.weight.mars',
    ]);
  });
});

describe('StrategyConfigError', () => {
  it('names the field, the value and the fix', () => {
    const error = new StrategyConfigError('spec.weight.eu', 2000, 'is too big', 'use 0..1000', { cause: new Error('parse') });
    expect(error).toMatchObject({ name: 'StrategyConfigError', field: 'spec.weight.eu', value: 2000, fix: 'use 0..1000' });
    expect(error.message).toBe('spec.weight.eu: is too big (got 2000); fix: use 0..1000');
    expect(error.cause).toEqual(new Error('parse'));
    expect(new StrategyConfigError('f', undefined, 'is missing', 'set it').message).toBe('f: is missing (got undefined); fix: set it');
    expect(new StrategyConfigError('f', Infinity, 'is infinite', 'x').message).toContain('(got Infinity)');
  });

  it('aggregates into one error whose message lists them all', () => {
    const aggregate = new InvalidStrategyConfigError([new StrategyConfigError('a', 1, 'p', 'f'), new StrategyConfigError('b', 2, 'q', 'g')], 'host x');
    expect(aggregate.name).toBe('InvalidStrategyConfigError');
    expect(aggregate.message).toBe('host x: 2 invalid field(s):\n- a: p (got 1); fix: f\n- b: q (got 2); fix: g');
    expect(aggregate.errors).toHaveLength(2);
  });
});

describe('StrategyRegistry', () => {
  it('knows the k8gb types and picks weighted roundRobin only when weights are set', () => {
    const registry = createDefaultStrategyRegistry();
    expect(registry.types()).toEqual(['roundRobin', 'failover', 'geoip']);
    expect(registry.resolve(spec()).kind).toBe('roundRobin');
    expect(registry.resolve(spec({ weight: {} })).kind).toBe('roundRobin');
    expect(registry.resolve(spec({ weight: { eu: 1 } })).kind).toBe('weightedRoundRobin');
    expect(registry.resolve(spec({ type: 'failover' })).kind).toBe('failover');
    expect(registry.resolve(spec({ type: 'geoip' })).kind).toBe('geoip');
  });

  it('throws a typed error for an unknown type', () => {
    expect(() => createDefaultStrategyRegistry().resolve(spec({ type: bad('random') }))).toThrow(InvalidStrategyConfigError);
  });

  it('a narrower registry rejects the types it lacks, in validation and in computePlan', () => {
    const onlyRoundRobin = new StrategyRegistry([roundRobinRegistration]);
    expect(validateStrategySpec(spec({ type: 'failover', primaryGeoTag: 'eu' }), { registry: onlyRoundRobin })[0]?.message).toContain(
      'use one of: roundRobin',
    );
    expect(() => computePlan(inputs('eu', [region('eu')], { spec: spec({ type: 'geoip' }) }), onlyRoundRobin)).toThrow(
      /spec.type: is not a known strategy type/,
    );
  });
});
