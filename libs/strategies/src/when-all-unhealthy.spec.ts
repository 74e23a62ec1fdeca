import { computePlan, type AnswerPlan, type WhenAllUnhealthy } from './index';
import { addressesOf, allAddresses, inputs, region, spec, target } from '../test/support/fixtures';

const allDown = [
  region('eu', { healthy: false }),
  region('us', { healthy: false, ageMs: 10_000, verdict: 'ALIVE' }),
  region('za', { healthy: false, ageMs: 10_000, verdict: 'DOWN' }),
];

const healthyBefore = (mode: WhenAllUnhealthy): AnswerPlan =>
  computePlan(inputs('eu', [region('eu'), region('us'), region('za')], { spec: spec({ type: 'failover', primaryGeoTag: 'za', whenAllUnhealthy: mode }) }));

describe('whenAllUnhealthy', () => {
  it.each<[WhenAllUnhealthy, boolean, { failOpen: boolean; empty: boolean; addresses: string[] }]>([
    // DOWN regions stay out even when failing open.
    ['failOpen', false, { failOpen: true, empty: false, addresses: addressesOf('eu', 'us').sort() }],
    ['empty', true, { failOpen: false, empty: true, addresses: [] }],
    ['lastKnownGood', true, { failOpen: false, empty: false, addresses: addressesOf('za') }],
    ['lastKnownGood', false, { failOpen: false, empty: true, addresses: [] }],
  ])('%s (previous plan: %s)', (mode, withPrevious, expected) => {
    const previous = withPrevious ? healthyBefore(mode) : undefined;
    const plan = computePlan(
      inputs('eu', allDown, { spec: spec({ type: 'failover', primaryGeoTag: 'za', whenAllUnhealthy: mode }), ...(previous ? { previous } : {}) }),
    );
    expect(plan).toMatchObject({ fallback: mode, failOpen: expected.failOpen, empty: expected.empty });
    expect(allAddresses(plan)).toEqual(expected.addresses);
  });

  it('failOpen rotates all targets and marks the regions it used', () => {
    const plan = computePlan(inputs('eu', allDown, { spec: spec({ whenAllUnhealthy: 'failOpen' }) }));
    expect(plan.selector).toEqual({ kind: 'rotate' });
    expect(plan.decisions.map((d) => [d.geoTag, d.used])).toEqual([
      ['eu', true],
      ['us', true],
      ['za', false],
    ]);
  });

  it('failOpen with no target at all is plain NODATA, not flagged fail-open', () => {
    const plan = computePlan(inputs('eu', [region('eu', { targets: [] })], { spec: spec({ whenAllUnhealthy: 'failOpen' }) }));
    expect(plan).toMatchObject({ failOpen: false, empty: true, variants: [[]], selector: { kind: 'single' } });
  });

  it('lastKnownGood keeps the previous answer even for a region dropped since, and says so', () => {
    const previous = healthyBefore('lastKnownGood');
    const plan = computePlan(inputs('eu', allDown, { spec: spec({ type: 'failover', primaryGeoTag: 'za', whenAllUnhealthy: 'lastKnownGood' }), previous }));
    expect(plan.variants).toBe(previous.variants);
    const za = plan.decisions.find((d) => d.geoTag === 'za');
    expect(za).toMatchObject({ usable: false, used: true, rule: 'dropped-down' });
    expect(za?.reason).toContain('still in the last known good answer');
  });

  it('lastKnownGood of an empty previous plan stays empty; of a fail-open one stays flagged', () => {
    const emptyBefore = computePlan(inputs('eu', allDown, { spec: spec({ whenAllUnhealthy: 'empty' }) }));
    const fromEmpty = computePlan(inputs('eu', allDown, { spec: spec({ whenAllUnhealthy: 'lastKnownGood' }), previous: emptyBefore }));
    expect(fromEmpty).toMatchObject({ empty: true, variants: [[]] });

    const failOpenBefore = computePlan(inputs('eu', allDown, { spec: spec({ whenAllUnhealthy: 'failOpen' }) }));
    const fromFailOpen = computePlan(inputs('eu', allDown, { spec: spec({ whenAllUnhealthy: 'lastKnownGood' }), previous: failOpenBefore }));
    expect(fromFailOpen).toMatchObject({ failOpen: true, empty: false, selector: { kind: 'rotate' } });
  });

  it('one healthy target anywhere usable is enough to avoid the fallback', () => {
    const plan = computePlan(
      inputs('eu', [region('eu', { healthy: false }), region('us', { targets: [target('10.0.2.1', false), target('10.0.2.2')] })], {
        spec: spec({ whenAllUnhealthy: 'failOpen' }),
      }),
    );
    expect(plan).toMatchObject({ fallback: 'none', failOpen: false });
    expect(allAddresses(plan)).toEqual(['10.0.2.2']);
  });
});
