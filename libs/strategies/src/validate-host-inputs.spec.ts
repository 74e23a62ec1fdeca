import { DEFAULT_STALENESS_LIMITS, InvalidStrategyConfigError, computePlan, validateHostInputs, validateStalenessLimits, type HostInputs } from './index';
import { NOW, inputs, region, spec } from '../test/support/fixtures';

const bad = <T>(value: unknown): T => value as T;

describe('validateHostInputs', () => {
  it.each<[string, HostInputs, string[]]>([
    ['valid', inputs('eu', [region('eu'), region('us')]), []],
    ['empty localGeoTag', { ...inputs('eu', [region('us')]), localGeoTag: '' }, ['localGeoTag']],
    ['clock reading not finite', inputs('eu', [region('eu')], { nowMs: NaN }), ['nowMs']],
    ['duplicate region', inputs('eu', [region('eu'), region('us'), region('us')]), ['regions[2].geoTag']],
    ['local flag on the wrong region', { ...inputs('eu', [region('eu'), region('us')]), localGeoTag: 'us' }, ['regions[0].local', 'regions[1].local']],
    ['unknown verdict', inputs('eu', [region('us', { verdict: bad('MAYBE') })]), ['regions[0].verdict']],
    ['remote observedAt not finite', inputs('eu', [{ ...region('us'), observedAtMs: NaN }]), ['regions[0].observedAtMs']],
    ['local observedAt is ignored', inputs('eu', [{ ...region('eu'), observedAtMs: NaN }]), []],
    ['bad limits', inputs('eu', [region('eu')], { limits: { ...DEFAULT_STALENESS_LIMITS, freshForMs: -1 } }), ['limits.freshForMs']],
  ])('%s', (_name, host, fields) => {
    expect(validateHostInputs(host).map((e) => e.field)).toEqual(fields);
  });

  it('computePlan refuses invalid inputs with every problem listed', () => {
    const host = inputs('eu', [region('eu'), region('eu')], { spec: spec({ dnsTtlSeconds: -1 }), nowMs: NaN });
    expect(() => computePlan(host)).toThrow(InvalidStrategyConfigError);
    try {
      computePlan(host);
    } catch (error) {
      expect((error as InvalidStrategyConfigError).errors.map((e) => e.field)).toEqual(['spec.dnsTtlSeconds', 'nowMs', 'regions[1].geoTag']);
    }
  });

  it('uses NOW-relative ages', () => {
    expect(region('us', { ageMs: 5 }).observedAtMs).toBe(NOW - 5);
  });
});

describe('validateStalenessLimits', () => {
  it.each([
    [DEFAULT_STALENESS_LIMITS, []],
    [{ freshForMs: 0, staleLimitMs: 0, aliveHoldLimitMs: 0 }, []],
    [{ ...DEFAULT_STALENESS_LIMITS, staleLimitMs: Infinity }, ['limits.staleLimitMs']],
    [{ freshForMs: -1, staleLimitMs: NaN, aliveHoldLimitMs: -3 }, ['limits.freshForMs', 'limits.staleLimitMs', 'limits.aliveHoldLimitMs']],
    [{ freshForMs: 10, staleLimitMs: 5, aliveHoldLimitMs: 20 }, ['limits.staleLimitMs']],
    [{ freshForMs: 1, staleLimitMs: 30, aliveHoldLimitMs: 20 }, ['limits.aliveHoldLimitMs']],
  ])('%j → %j', (limits, fields) => {
    expect(validateStalenessLimits(limits).map((e) => e.field)).toEqual(fields);
  });

  it('defaults: 3 s fresh, 5 min stale limit, 15 min ALIVE hold', () => {
    expect(DEFAULT_STALENESS_LIMITS).toEqual({ freshForMs: 3_000, staleLimitMs: 300_000, aliveHoldLimitMs: 900_000 });
    expect(Object.isFrozen(DEFAULT_STALENESS_LIMITS)).toBe(true);
  });
});
