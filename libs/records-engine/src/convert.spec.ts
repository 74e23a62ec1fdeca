import { AddressFamily, HealthState, StrategyType, VerdictState, WeightedMode, WhenAllUnhealthy, type Strategy } from '@meridian/proto';
import { hostFromProto, strategyFromProto, verdictFromProto } from './from-proto';
import { plannedTargetToProto, strategyToProto, verdictToProto } from './to-proto';

const base: Strategy = {
  type: StrategyType.STRATEGY_TYPE_ROUND_ROBIN,
  primaryGeoTags: [],
  weights: {},
  weightedMode: WeightedMode.WEIGHTED_MODE_UNSPECIFIED,
  dnsTtlSeconds: 30,
  whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_UNSPECIFIED,
};

describe('strategy from the contract', () => {
  it.each([
    ['roundRobin, unset enums: k8gb defaults', base, { type: 'roundRobin', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', weightedMode: 'reorderAll' }],
    ['failover with one primary: a plain string (k8gb)', { ...base, type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu'] }, { type: 'failover', primaryGeoTag: 'eu' }],
    ['failover with an ordered list', { ...base, type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu', 'za'] }, { primaryGeoTag: ['eu', 'za'] }],
    ['weights and chosenOnly', { ...base, weights: { eu: 80, us: 20 }, weightedMode: WeightedMode.WEIGHTED_MODE_CHOSEN_ONLY }, { weight: { eu: 80, us: 20 }, weightedMode: 'chosenOnly' }],
    ['failOpen', { ...base, whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_FAIL_OPEN }, { whenAllUnhealthy: 'failOpen' }],
    ['geoip, lastKnownGood', { ...base, type: StrategyType.STRATEGY_TYPE_GEOIP, whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_LAST_KNOWN_GOOD }, { type: 'geoip', whenAllUnhealthy: 'lastKnownGood' }],
  ])('%s', (_what, strategy, expected) => {
    const result = strategyFromProto(strategy);
    expect(result).toMatchObject({ spec: expected });
    if ('spec' in result) expect(strategyFromProto(strategyToProto(result.spec))).toEqual(result);
  });

  it.each([
    ['no strategy', undefined, 'no strategy'],
    ['an unset type', { ...base, type: StrategyType.STRATEGY_TYPE_UNSPECIFIED }, 'STRATEGY_TYPE_UNSPECIFIED'],
  ])('reports %s as a problem instead of guessing', (_what, strategy, problem) => {
    expect(strategyFromProto(strategy)).toEqual({ problem: expect.stringContaining(problem) });
  });
});

describe('targets and verdicts', () => {
  it('drops targets without an address or family, and normalizes names', () => {
    const report = hostFromProto(
      {
        host: 'App.gslb.example.com.',
        region: 'eu',
        spec: undefined,
        serviceHealth: HealthState.HEALTH_STATE_HEALTHY,
        targets: [
          { target: { address: 'LB.example.NET.', family: AddressFamily.ADDRESS_FAMILY_NAME, source: 0 }, state: HealthState.HEALTH_STATE_HEALTHY, checks: [], changedAt: undefined },
          { target: { address: '', family: AddressFamily.ADDRESS_FAMILY_IPV4, source: 0 }, state: HealthState.HEALTH_STATE_HEALTHY, checks: [], changedAt: undefined },
          { target: { address: '10.0.0.1', family: AddressFamily.ADDRESS_FAMILY_UNSPECIFIED, source: 0 }, state: HealthState.HEALTH_STATE_HEALTHY, checks: [], changedAt: undefined },
        ],
        observedAt: new Date(5),
      },
      'eu',
    );
    expect(report).toMatchObject({ host: 'app.gslb.example.com', observedAtMs: 5, targets: [{ address: 'lb.example.net', family: 'name', state: 'Healthy' }] });
  });

  it.each([
    [{ address: '10.1.0.1', family: 4 as const }, AddressFamily.ADDRESS_FAMILY_IPV4],
    [{ address: 'lb.example.net', family: 4 as const }, AddressFamily.ADDRESS_FAMILY_NAME],
    [{ address: '2001:db8::1', family: 6 as const }, AddressFamily.ADDRESS_FAMILY_IPV6],
  ])('a planned target %j goes on the wire as family %s', (target, family) => {
    expect(plannedTargetToProto(target).family).toBe(family);
  });

  it('an unset verdict state carries no evidence: UNKNOWN; verdicts round-trip', () => {
    const v = { region: 'us', state: VerdictState.VERDICT_STATE_UNSPECIFIED, lastDecided: VerdictState.VERDICT_STATE_ALIVE, quorum: 2, observers: 3, reachable: 1, unreachable: 1, evidence: [], decidedAt: new Date(7), updatedAt: new Date(8) };
    expect(verdictFromProto(v).state).toBe('UNKNOWN');
    expect(verdictToProto(verdictFromProto({ ...v, state: VerdictState.VERDICT_STATE_DOWN }))).toEqual({ ...v, state: VerdictState.VERDICT_STATE_DOWN });
  });
});
