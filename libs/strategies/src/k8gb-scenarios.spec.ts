import { computePlan, selectVariant, type AnswerPlan, type StrategySpec } from './index';
import { addressesOf, allAddresses, answer, inputs, mulberry32, region, spec } from '../test/support/fixtures';

// k8gb's own scenario list (terratest and controller tests), seen from region eu.
describe('k8gb scenarios: failover', () => {
  it.each([
    {
      scenario: 'own records when primary',
      failover: spec({ type: 'failover', primaryGeoTag: 'eu' }),
      regions: [region('eu'), region('us')],
      expected: ['eu'],
    },
    {
      scenario: 'external records when primary is unhealthy',
      failover: spec({ type: 'failover', primaryGeoTag: 'eu' }),
      regions: [region('eu', { healthy: false }), region('us')],
      expected: ['us'],
    },
    {
      scenario: 'own records again once the primary recovers',
      failover: spec({ type: 'failover', primaryGeoTag: 'eu' }),
      regions: [region('eu'), region('us', { healthy: false })],
      expected: ['eu'],
    },
    {
      scenario: 'external records when this region is not the primary',
      failover: spec({ type: 'failover', primaryGeoTag: 'us' }),
      regions: [region('eu'), region('us')],
      expected: ['us'],
    },
    {
      scenario: '3 regions, primary unhealthy: only the first secondary (alphabetical)',
      failover: spec({ type: 'failover', primaryGeoTag: 'eu' }),
      regions: [region('eu', { healthy: false }), region('us'), region('za')],
      expected: ['us'],
    },
    {
      scenario: '3 regions, primary unhealthy: only the nearest secondary (proximity)',
      failover: spec({ type: 'failover', primaryGeoTag: 'eu', proximity: { eu: ['za', 'us'] } }),
      regions: [region('eu', { healthy: false }), region('us'), region('za')],
      expected: ['za'],
    },
    {
      scenario: '3 regions, primaryGeoTag as a list: only the listed secondary',
      failover: spec({ type: 'failover', primaryGeoTag: ['eu', 'za'] }),
      regions: [region('eu', { healthy: false }), region('us'), region('za')],
      expected: ['za'],
    },
    {
      scenario: '3 regions, primary and secondary unhealthy: the third',
      failover: spec({ type: 'failover', primaryGeoTag: ['eu', 'za'] }),
      regions: [region('eu', { healthy: false }), region('us'), region('za', { healthy: false })],
      expected: ['us'],
    },
    {
      scenario: '4 regions, proximity of the last primary orders the rest',
      failover: spec({ type: 'failover', primaryGeoTag: ['eu', 'us'], proximity: { us: ['za', 'ap'] } }),
      regions: [region('ap'), region('eu', { healthy: false }), region('us', { healthy: false }), region('za')],
      expected: ['za'],
    },
  ])('$scenario', ({ failover, regions, expected }) => {
    const plan = computePlan(inputs('eu', regions, { spec: failover }));
    expect(answer(plan)).toEqual(addressesOf(...expected));
    expect(plan.variants).toHaveLength(1);
    expect(plan.decisions.filter((d) => d.used).map((d) => d.geoTag)).toEqual(expected);
  });
});

describe('k8gb scenarios: roundRobin and weights', () => {
  const REGIONS = ['eu', 'us', 'za'];
  const regionOf = (address: string | undefined): string => REGIONS.find((g) => addressesOf(g).includes(address ?? '')) ?? 'none';

  /** Share of queries whose first address is in each region, over `picks` seeded draws. */
  const firstRegionShares = (plan: AnswerPlan, picks: number): Record<string, number> => {
    const random = mulberry32(7);
    const counts: Record<string, number> = {};
    for (let i = 0; i < picks; i++) {
      const geoTag = regionOf(plan.variants[selectVariant(plan, random()).variant]?.[0]?.address);
      counts[geoTag] = (counts[geoTag] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).map(([g, n]) => [g, n / picks]));
  };

  it.each<{ scenario: string; strategy: StrategySpec; unhealthy?: string[]; kind: string; shares: Record<string, number>; answers: string[] }>([
    {
      scenario: 'weights eu35/us50/za15',
      strategy: spec({ weight: { eu: 35, us: 50, za: 15 } }),
      kind: 'weightedRoundRobin',
      shares: { eu: 0.35, us: 0.5, za: 0.15 },
      answers: ['eu', 'us', 'za'],
    },
    {
      scenario: 'weights eu35/us50/za15, us unhealthy: shares renormalised',
      strategy: spec({ weight: { eu: 35, us: 50, za: 15 } }),
      unhealthy: ['us'],
      kind: 'weightedRoundRobin',
      shares: { eu: 0.7, za: 0.3 },
      answers: ['eu', 'za'],
    },
    {
      scenario: 'weights eu35/us50/za15, chosenOnly (Route 53 style)',
      strategy: spec({ weight: { eu: 35, us: 50, za: 15 }, weightedMode: 'chosenOnly' }),
      kind: 'weightedRoundRobin',
      shares: { eu: 0.35, us: 0.5, za: 0.15 },
      answers: ['eu', 'us', 'za'],
    },
    {
      scenario: 'weights eu1/us0/za0: eu always first',
      strategy: spec({ weight: { eu: 1, us: 0, za: 0 } }),
      kind: 'weightedRoundRobin',
      shares: { eu: 1 },
      answers: ['eu', 'us', 'za'],
    },
    {
      scenario: 'weights eu1/us0/za0, eu unhealthy: weight 0 is the last resort, shared equally',
      strategy: spec({ weight: { eu: 1, us: 0, za: 0 } }),
      unhealthy: ['eu'],
      kind: 'weightedRoundRobin',
      shares: { us: 0.5, za: 0.5 },
      answers: ['us', 'za'],
    },
    {
      scenario: 'empty weights: plain roundRobin, every target first equally often',
      strategy: spec({ weight: {} }),
      kind: 'roundRobin',
      shares: { eu: 0.4, us: 0.4, za: 0.2 },
      answers: ['eu', 'us', 'za'],
    },
  ])('$scenario', ({ strategy, unhealthy = [], kind, shares, answers }) => {
    const plan = computePlan(inputs('eu', REGIONS.map((g) => region(g, { healthy: !unhealthy.includes(g) })), { spec: strategy }));
    expect(plan.strategy).toBe(kind);
    expect(allAddresses(plan)).toEqual(addressesOf(...answers).sort());
    const measured = firstRegionShares(plan, 100_000);
    expect(Object.keys(measured).sort()).toEqual(Object.keys(shares).sort());
    for (const [geoTag, share] of Object.entries(shares)) {
      expect(Math.abs((measured[geoTag] ?? 0) - share)).toBeLessThan(0.02);
    }
  });

  it('weighted reorderAll: the drawn region first, then heavier regions first', () => {
    const plan = computePlan(inputs('eu', REGIONS.map((g) => region(g)), { spec: spec({ weight: { eu: 35, us: 50, za: 15 } }) }));
    expect(plan.selector).toEqual({ kind: 'weighted', weights: [35, 50, 15] });
    expect(plan.variants.map((v) => v.map((t) => t.address))).toEqual([
      addressesOf('eu', 'us', 'za'),
      addressesOf('us', 'eu', 'za'),
      addressesOf('za', 'us', 'eu'),
    ]);
  });

  it('weighted chosenOnly: each variant holds one region only', () => {
    const plan = computePlan(
      inputs('eu', REGIONS.map((g) => region(g)), { spec: spec({ weight: { eu: 35, us: 50, za: 15 }, weightedMode: 'chosenOnly' }) }),
    );
    expect(plan.variants.map((v) => v.map((t) => t.address))).toEqual([addressesOf('eu'), addressesOf('us'), addressesOf('za')]);
  });

  it('empty weights: rotation i starts at target i', () => {
    const plan = computePlan(inputs('eu', REGIONS.map((g) => region(g)), { spec: spec({ weight: {} }) }));
    const all = addressesOf('eu', 'us', 'za');
    expect(plan.selector).toEqual({ kind: 'rotate' });
    expect(answer(plan, 0)).toEqual(all);
    expect(answer(plan, 0.99)).toEqual([all[all.length - 1], ...all.slice(0, -1)]);
  });
});
