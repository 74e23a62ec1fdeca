import fc from 'fast-check';
import {
  compileCidrTable,
  computePlan,
  createParsedAddress,
  createVariantChoice,
  parseAddress,
  selectVariant,
  type AnswerPlan,
  type HostInputs,
  type RegionInput,
  type StrategySpec,
} from './index';
import { NOW, mulberry32 } from '../test/support/fixtures';

const GEO_TAGS = ['ap', 'eu', 'us', 'za'] as const;
const indexOf = (geoTag: string): number => GEO_TAGS.indexOf(geoTag as (typeof GEO_TAGS)[number]) + 1;

/** Up to 4 targets per region, addresses unique across regions, random health and family. */
const regionArb = (geoTag: string): fc.Arbitrary<RegionInput> =>
  fc.record({
    targets: fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 4 }).map((list) =>
      list.map(([healthy, v6], i) =>
        v6
          ? { address: `2001:db8:${indexOf(geoTag)}::${i + 1}`, family: 6 as const, healthy }
          : { address: `10.${indexOf(geoTag)}.0.${i + 1}`, family: 4 as const, healthy },
      ),
    ),
    ageMs: fc.oneof(fc.constantFrom(0, 2_999, 3_001, 300_001, 900_001), fc.integer({ min: 0, max: 1_000_000 })),
    verdict: fc.constantFrom('ALIVE' as const, 'DOWN' as const, 'UNKNOWN' as const),
  }).map(({ targets, ageMs, verdict }) => ({ geoTag, local: false, targets, observedAtMs: NOW - ageMs, verdict }));

const geoTagsArb = fc.subarray([...GEO_TAGS], { minLength: 1 });

const specArb = (geoTags: readonly string[]): fc.Arbitrary<StrategySpec> =>
  fc.record(
    {
      type: fc.constantFrom('roundRobin' as const, 'failover' as const, 'geoip' as const),
      primary: fc.shuffledSubarray([...geoTags], { minLength: 1 }),
      weight: fc.option(fc.dictionary(fc.constantFrom(...geoTags), fc.integer({ min: 0, max: 1000 })), { nil: undefined }),
      weightedMode: fc.constantFrom('reorderAll' as const, 'chosenOnly' as const),
      whenAllUnhealthy: fc.constantFrom('failOpen' as const, 'empty' as const, 'lastKnownGood' as const),
      proximity: fc.dictionary(fc.constantFrom(...geoTags), fc.shuffledSubarray([...geoTags])),
    },
  ).map(({ type, primary, weight, weightedMode, whenAllUnhealthy, proximity }) => ({
    type,
    dnsTtlSeconds: 30,
    whenAllUnhealthy,
    proximity,
    ...(type === 'failover' ? { primaryGeoTag: primary } : {}),
    ...(type === 'roundRobin' && weight !== undefined ? { weight, weightedMode } : {}),
  }));

/** A host seen from its first region, plus an earlier state of the same host for `previous`. */
const hostArb: fc.Arbitrary<{ host: HostInputs; earlier: HostInputs }> = geoTagsArb.chain((geoTags) =>
  fc
    .record({
      spec: specArb(geoTags),
      regions: fc.tuple(...geoTags.map(regionArb)),
      earlierRegions: fc.tuple(...geoTags.map(regionArb)),
      family: fc.constantFrom(undefined, 4 as const, 6 as const),
    })
    .map(({ spec, regions, earlierRegions, family }) => {
      const local = geoTags[0] as string;
      const mark = (list: RegionInput[]): RegionInput[] => list.map((r) => ({ ...r, local: r.geoTag === local }));
      const base = { spec, localGeoTag: local, nowMs: NOW, ...(family === undefined ? {} : { family }) };
      return { host: { ...base, regions: mark(regions) }, earlier: { ...base, regions: mark(earlierRegions) } };
    }),
);

/** Addresses that are healthy in a region the plan admitted. */
function healthyUsable(host: HostInputs, plan: AnswerPlan): Set<string> {
  const usable = new Set(plan.decisions.filter((d) => d.usable).map((d) => d.geoTag));
  return new Set(
    host.regions
      .filter((r) => usable.has(r.geoTag))
      .flatMap((r) => r.targets.filter((t) => t.healthy && (host.family === undefined || t.family === host.family)))
      .map((t) => t.address),
  );
}

describe('properties', () => {
  it('never answers an unhealthy target unless fail-open (or last known good) is in force', () => {
    fc.assert(
      fc.property(hostArb, ({ host, earlier }) => {
        const previous = computePlan(earlier);
        const plan = computePlan({ ...host, previous });
        const healthy = healthyUsable(host, plan);
        if (healthy.size > 0) expect(plan.fallback).toBe('none');
        if (plan.fallback === 'lastKnownGood') {
          // Held on purpose: exactly the previous answers, or NODATA when there were none.
          expect(plan.variants).toEqual(previous.empty ? [[]] : previous.variants);
          return;
        }
        if (plan.failOpen) return;
        for (const variant of plan.variants) {
          for (const t of variant) expect(healthy.has(t.address)).toBe(true);
        }
        expect(plan.empty).toBe(plan.variants.every((v) => v.length === 0));
      }),
      { seed: 20_251_121, numRuns: 500 },
    );
  });

  it('weighted draws over 100,000 picks stay within 2% of the configured shares', () => {
    const weightsArb = fc
      .subarray([...GEO_TAGS], { minLength: 2 })
      .chain((geoTags) => fc.tuple(...geoTags.map((g) => fc.tuple(fc.constant(g), fc.integer({ min: 0, max: 1000 })))))
      .filter((entries) => entries.some(([, w]) => w > 0));
    fc.assert(
      fc.property(weightsArb, fc.integer(), (entries, seed) => {
        const weight = Object.fromEntries(entries);
        const regions: RegionInput[] = entries.map(([geoTag], i) => ({
          geoTag,
          local: i === 0,
          targets: [{ address: `10.${indexOf(geoTag)}.0.1`, family: 4, healthy: true }],
          observedAtMs: NOW,
          verdict: 'ALIVE',
        }));
        const plan = computePlan({
          spec: { type: 'roundRobin', weight, dnsTtlSeconds: 30, whenAllUnhealthy: 'empty' },
          localGeoTag: entries[0]?.[0] ?? '',
          regions,
          nowMs: NOW,
        });
        const total = entries.reduce((sum, [, w]) => sum + w, 0);
        const counts = new Map<string, number>();
        const random = mulberry32(seed);
        const out = createVariantChoice();
        const picks = 100_000;
        for (let i = 0; i < picks; i++) {
          const first = plan.variants[selectVariant(plan, random(), undefined, { out }).variant]?.[0]?.address ?? '';
          counts.set(first, (counts.get(first) ?? 0) + 1);
        }
        for (const [geoTag, w] of entries) {
          const share = (counts.get(`10.${indexOf(geoTag)}.0.1`) ?? 0) / picks;
          expect(Math.abs(share - w / total)).toBeLessThan(0.02);
        }
      }),
      { seed: 42, numRuns: 20 },
    );
  });

  it('geoip never answers a region with no healthy target while another has one', () => {
    const table = compileCidrTable(GEO_TAGS.map((geoTag) => ({ cidr: `10.${indexOf(geoTag)}.0.0/16`, geoTag })));
    const clientArb = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 255 })).map(([b, c]) => `10.${b}.${c}.9`);
    const geoHostArb = geoTagsArb.chain((geoTags) =>
      fc.record({
        regions: fc.tuple(...geoTags.map(regionArb)),
        proximity: fc.dictionary(fc.constantFrom(...GEO_TAGS), fc.shuffledSubarray([...GEO_TAGS])),
        client: clientArb,
      }),
    );
    fc.assert(
      fc.property(geoHostArb, ({ regions, proximity, client }) => {
        const local = regions[0]?.geoTag ?? '';
        const host: HostInputs = {
          spec: { type: 'geoip', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', proximity },
          localGeoTag: local,
          regions: regions.map((r) => ({ ...r, local: r.geoTag === local })),
          nowMs: NOW,
          geo: table,
        };
        const plan = computePlan(host);
        const healthy = healthyUsable(host, plan);
        const chosen = plan.variants[selectVariant(plan, 0.5, parseAddress(client, createParsedAddress())).variant] ?? [];
        if (healthy.size === 0) {
          expect(chosen).toEqual([]);
          return;
        }
        expect(chosen.length).toBeGreaterThan(0);
        for (const t of chosen) expect(healthy.has(t.address)).toBe(true);
        // The client's own region answers whenever it has a healthy target.
        const own = host.regions.find((r) => client.startsWith(`10.${indexOf(r.geoTag)}.`));
        const ownHealthy = (own?.targets ?? []).map((t) => t.address).filter((a) => healthy.has(a));
        if (ownHealthy.length > 0) expect(chosen.map((t) => t.address).sort()).toEqual(ownHealthy.sort());
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
