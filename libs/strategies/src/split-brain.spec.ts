import { computePlan, type RegionInput, type RegionRule } from './index';
import { addressesOf, allAddresses, answer, inputs, region, spec } from '../test/support/fixtures';

// DESIGN.md "Regions, partitions and split brain": primary eu, secondary us.
const FRESH = 1_500; // "within about 2 s"
const SILENT = 10_000;

const failover = spec({ type: 'failover', primaryGeoTag: 'eu' });
const roundRobin = spec({ type: 'roundRobin' });

interface Row {
  readonly situation: string;
  readonly pov: 'us' | 'eu';
  readonly regions: readonly RegionInput[];
  /** The state just before, whose plan becomes `previous`. */
  readonly before?: readonly RegionInput[];
  /** The rule applied to the other region. */
  readonly rule: RegionRule;
  /** Regions whose targets the failover answer holds. */
  readonly failover: readonly string[];
  /** Regions whose targets the roundRobin answers hold. */
  readonly roundRobin: readonly string[];
}

const upFresh = [region('eu', { ageMs: FRESH }), region('us', { ageMs: FRESH })];

const rows: Row[] = [
  { situation: 'both healthy, all links up', pov: 'us', regions: upFresh, rule: 'fresh', failover: ['eu'], roundRobin: ['eu', 'us'] },
  { situation: 'both healthy, all links up', pov: 'eu', regions: upFresh, rule: 'fresh', failover: ['eu'], roundRobin: ['eu', 'us'] },
  {
    situation: "eu's app unhealthy (eu says so)",
    pov: 'us',
    regions: [region('eu', { ageMs: FRESH, healthy: false }), region('us')],
    rule: 'fresh',
    failover: ['us'],
    roundRobin: ['us'],
  },
  {
    situation: "eu's app unhealthy (eu says so)",
    pov: 'eu',
    regions: [region('eu', { healthy: false }), region('us', { ageMs: FRESH })],
    rule: 'fresh',
    failover: ['us'],
    roundRobin: ['us'],
  },
  {
    situation: 'eu healthy, us ↔ eu link cut, witnesses see eu: no premature failover',
    pov: 'us',
    regions: [region('eu', { ageMs: SILENT, verdict: 'ALIVE' }), region('us')],
    before: upFresh,
    rule: 'held-alive',
    failover: ['eu'],
    roundRobin: ['eu', 'us'],
  },
  {
    situation: 'eu healthy, us ↔ eu link cut, witnesses see us',
    pov: 'eu',
    regions: [region('eu'), region('us', { ageMs: SILENT, verdict: 'ALIVE' })],
    before: upFresh,
    rule: 'held-alive',
    failover: ['eu'],
    roundRobin: ['eu', 'us'],
  },
  {
    situation: 'eu region completely down: failover once the quorum says DOWN',
    pov: 'us',
    regions: [region('eu', { ageMs: SILENT, verdict: 'DOWN' }), region('us')],
    before: upFresh,
    rule: 'dropped-down',
    failover: ['us'],
    roundRobin: ['us'],
  },
  // (eu's point of view does not exist in that row: its nameservers are down with it.)
  {
    situation: 'us isolated from everything: us holds its last decision',
    pov: 'us',
    regions: [region('eu', { ageMs: SILENT, verdict: 'UNKNOWN' }), region('us')],
    before: upFresh,
    rule: 'held-unknown',
    failover: ['eu'],
    roundRobin: ['eu', 'us'],
  },
  {
    situation: 'us isolated from everything: the quorum tells eu that us is DOWN',
    pov: 'eu',
    regions: [region('eu'), region('us', { ageMs: SILENT, verdict: 'DOWN' })],
    before: upFresh,
    rule: 'dropped-down',
    failover: ['eu'],
    roundRobin: ['eu'],
  },
  {
    situation: 'link heals: fresh data wins at once, even before the verdict catches up',
    pov: 'us',
    regions: [region('eu', { ageMs: FRESH, verdict: 'DOWN' }), region('us')],
    before: [region('eu', { ageMs: SILENT, verdict: 'DOWN' }), region('us')],
    rule: 'fresh',
    failover: ['eu'],
    roundRobin: ['eu', 'us'],
  },
  {
    situation: 'link heals: fresh data wins at once, even before the verdict catches up',
    pov: 'eu',
    regions: [region('eu'), region('us', { ageMs: FRESH, verdict: 'DOWN' })],
    before: [region('eu'), region('us', { ageMs: SILENT, verdict: 'DOWN' })],
    rule: 'fresh',
    failover: ['eu'],
    roundRobin: ['eu', 'us'],
  },
  // The bounds of "holding".
  {
    situation: 'link cut longer than the ALIVE hold limit (15 min)',
    pov: 'us',
    regions: [region('eu', { ageMs: 900_001, verdict: 'ALIVE' }), region('us')],
    rule: 'dropped-alive-expired',
    failover: ['us'],
    roundRobin: ['us'],
  },
  {
    situation: 'us isolated longer than the stale limit (5 min)',
    pov: 'us',
    regions: [region('eu', { ageMs: 300_001, verdict: 'UNKNOWN' }), region('us')],
    before: [region('eu', { ageMs: 299_000, verdict: 'UNKNOWN' }), region('us')],
    rule: 'dropped-unknown-expired',
    failover: ['us'],
    roundRobin: ['us'],
  },
  {
    situation: 'us isolated right after eu went DOWN: the last decision (dropped) holds',
    pov: 'us',
    regions: [region('eu', { ageMs: 2 * SILENT, verdict: 'UNKNOWN' }), region('us')],
    before: [region('eu', { ageMs: SILENT, verdict: 'DOWN' }), region('us')],
    rule: 'dropped-unknown-hysteresis',
    failover: ['us'],
    roundRobin: ['us'],
  },
  {
    situation: "eu's app unhealthy, then the link is cut: its last known health holds",
    pov: 'us',
    regions: [region('eu', { ageMs: SILENT, verdict: 'ALIVE', healthy: false }), region('us')],
    rule: 'held-alive',
    failover: ['us'],
    roundRobin: ['us'],
  },
];

describe('split-brain table (DESIGN.md)', () => {
  describe.each([
    ['failover', failover, (row: Row) => row.failover],
    ['roundRobin', roundRobin, (row: Row) => row.roundRobin],
  ] as const)('%s', (_name, strategySpec, expected) => {
    it.each(rows.map((row) => [`${row.situation} (seen from ${row.pov})`, row] as const))('%s', (_title, row) => {
      const previous = row.before === undefined ? undefined : computePlan(inputs(row.pov, row.before, { spec: strategySpec }));
      const plan = computePlan(inputs(row.pov, row.regions, { spec: strategySpec, ...(previous ? { previous } : {}) }));

      expect(allAddresses(plan)).toEqual(addressesOf(...expected(row)).sort());
      expect(plan.fallback).toBe('none');
      const other = plan.decisions.find((d) => d.geoTag !== row.pov);
      expect(other?.rule).toBe(row.rule);
      expect(other?.reason).toEqual(expect.any(String));
    });
  });

  it('failover answers exactly the targets of the chosen region, in order', () => {
    const plan = computePlan(inputs('us', rows[4]?.regions ?? [], { spec: failover }));
    expect(answer(plan)).toEqual(addressesOf('eu'));
    expect(plan.selector).toEqual({ kind: 'single' });
  });
});
