import { computePlan, failoverOrder, weightedRoundRobinStrategy, type StrategySpec } from './index';
import { addressesOf, allAddresses, answer, inputs, region, spec, target } from '../test/support/fixtures';

describe('computePlan', () => {
  it('explains every region: rule, use, health and why', () => {
    const plan = computePlan(
      inputs('us', [region('za', { ageMs: 10_000, verdict: 'DOWN' }), region('us'), region('eu', { healthy: false, ageMs: 1_000 })], {
        spec: spec({ type: 'failover', primaryGeoTag: 'eu', dnsTtlSeconds: 60 }),
      }),
    );
    expect(plan).toMatchObject({ strategy: 'failover', ttlSeconds: 60, failOpen: false, empty: false, fallback: 'none' });
    expect(plan.decisions).toEqual([
      { geoTag: 'eu', usable: true, used: false, rule: 'fresh', reason: 'data 1000 ms old (fresh): its self-reported health; 0/2 targets healthy; not in the answer' },
      { geoTag: 'us', usable: true, used: true, rule: 'local', reason: 'local region: its own health; 2/2 targets healthy; in the answer' },
      {
        geoTag: 'za',
        usable: false,
        used: false,
        rule: 'dropped-down',
        reason: 'silent for 10000 ms and the witness quorum says DOWN: dropped; not in the answer',
      },
    ]);
  });

  it('names a healthy region left out by the strategy', () => {
    const plan = computePlan(inputs('us', [region('eu'), region('us')], { spec: spec({ type: 'failover', primaryGeoTag: 'eu' }) }));
    expect(plan.decisions[1]?.reason).toBe('local region: its own health; 2/2 targets healthy; not in the answer: failover chose other regions');
  });

  it('the same inputs in any order give the same plan (every region computes the same answer)', () => {
    const regions = [region('za'), region('eu'), region('us')];
    const a = computePlan(inputs('eu', regions));
    const b = computePlan(inputs('eu', [...regions].reverse()));
    expect(b).toEqual(a);
    expect(answer(a)).toEqual(addressesOf('eu', 'us', 'za'));
  });

  it('honours custom staleness limits', () => {
    const limits = { freshForMs: 100, staleLimitMs: 1_000, aliveHoldLimitMs: 2_000 };
    const host = (ageMs: number) => inputs('us', [region('eu', { ageMs, verdict: 'UNKNOWN' }), region('us')], { limits });
    expect(computePlan(host(500)).decisions[0]?.rule).toBe('held-unknown');
    expect(computePlan(host(1_001)).decisions[0]?.rule).toBe('dropped-unknown-expired');
  });

  it('plans one address family at a time when asked (A and AAAA)', () => {
    const dualStack = [
      region('eu', { targets: [target('10.0.1.1'), target('2001:db8:1::1'), target('2001:db8:1::2', false)] }),
      region('us', { targets: [target('10.0.2.1', false), target('2001:db8:2::1')] }),
    ];
    expect(allAddresses(computePlan(inputs('eu', dualStack, { family: 4 })))).toEqual(['10.0.1.1']);
    expect(allAddresses(computePlan(inputs('eu', dualStack, { family: 6 })))).toEqual(['2001:db8:1::1', '2001:db8:2::1']);
    expect(allAddresses(computePlan(inputs('eu', dualStack)))).toEqual(['10.0.1.1', '2001:db8:1::1', '2001:db8:2::1']);
    // Failover per family: the primary (us) has no healthy A target, so A fails over to eu while AAAA stays on us.
    const failover = spec({ type: 'failover', primaryGeoTag: 'us' });
    expect(answer(computePlan(inputs('eu', dualStack, { spec: failover, family: 4 })))).toEqual(['10.0.1.1']);
    expect(answer(computePlan(inputs('eu', dualStack, { spec: failover, family: 6 })))).toEqual(['2001:db8:2::1']);
  });

  it('a plan is plain data: it survives JSON', () => {
    const plan = computePlan(inputs('eu', [region('eu'), region('us')], { spec: spec({ weight: { eu: 3, us: 1 } }) }));
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('failoverOrder', () => {
  it.each<[string, Partial<StrategySpec>, string[]]>([
    ['primary first, then the rest by geotag', { primaryGeoTag: 'us' }, ['us', 'ap', 'eu', 'za']],
    ['a list of primaries', { primaryGeoTag: ['za', 'eu'] }, ['za', 'eu', 'ap', 'us']],
    ['proximity of the last primary', { primaryGeoTag: ['za', 'eu'], proximity: { eu: ['us'] } }, ['za', 'eu', 'us', 'ap']],
    ['proximity of another region is ignored', { primaryGeoTag: 'eu', proximity: { za: ['us'] } }, ['eu', 'ap', 'us', 'za']],
    ['no primary: by geotag', {}, ['ap', 'eu', 'us', 'za']],
  ])('%s', (_name, overrides, order) => {
    expect(failoverOrder(spec({ type: 'failover', ...overrides }), ['za', 'us', 'eu', 'ap'])).toEqual(order);
  });
});

describe('weightedRoundRobinStrategy used directly', () => {
  it('without weights every region is a last resort with an equal share', () => {
    const usable = ['eu', 'us'].map((geoTag) => ({ geoTag, local: geoTag === 'eu', targets: [], healthy: [{ address: `${geoTag}.example`, family: 4 as const }] }));
    const outcome = weightedRoundRobinStrategy.plan({ spec: spec(), regions: usable, knownGeoTags: ['eu', 'us'] });
    expect(outcome?.selector).toEqual({ kind: 'weighted', weights: [1, 1] });
  });
});
