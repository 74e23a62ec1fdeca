import {
  computePlan,
  parseAddress,
  selectVariant,
  type AnswerPlan,
  type HostInputs,
  type RegionInput,
  type RegionTarget,
  type RegionVerdict,
  type StrategySpec,
} from '../../src';

/** "Now" in every table: far enough from 0 that ages are easy to read. */
export const NOW = 10_000_000;

export function target(address: string, healthy = true): RegionTarget {
  return { address, family: address.includes(':') ? 6 : 4, healthy };
}

export interface RegionOptions {
  /** Health of every target (default healthy). */
  readonly healthy?: boolean;
  readonly local?: boolean;
  /** How old the data is at NOW (default 0: fresh). */
  readonly ageMs?: number;
  readonly verdict?: RegionVerdict;
  readonly targets?: readonly RegionTarget[];
}

/** Default addresses per region, so tables can speak in region names. */
export const ADDRESSES: Readonly<Record<string, readonly string[]>> = {
  eu: ['10.0.1.1', '10.0.1.2'],
  us: ['10.0.2.1', '10.0.2.2'],
  za: ['10.0.3.1'],
  ap: ['10.0.4.1'],
};

export function region(geoTag: string, options: RegionOptions = {}): RegionInput {
  const healthy = options.healthy ?? true;
  return {
    geoTag,
    local: options.local ?? false,
    targets: options.targets ?? (ADDRESSES[geoTag] ?? []).map((a) => target(a, healthy)),
    observedAtMs: NOW - (options.ageMs ?? 0),
    verdict: options.verdict ?? 'ALIVE',
  };
}

export function spec(overrides: Partial<StrategySpec> = {}): StrategySpec {
  return { type: 'roundRobin', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', ...overrides };
}

/** Inputs seen from `localGeoTag`: the region with that geotag is marked local. */
export function inputs(localGeoTag: string, regions: readonly RegionInput[], overrides: Partial<HostInputs> = {}): HostInputs {
  return {
    spec: spec(),
    localGeoTag,
    regions: regions.map((r) => ({ ...r, local: r.geoTag === localGeoTag })),
    nowMs: NOW,
    ...overrides,
  };
}

/** The addresses a query gets for `random01` (and optionally a client address). */
export function answer(plan: AnswerPlan, random01 = 0, client?: string): string[] {
  const parsed = client === undefined ? undefined : parseAddress(client);
  const { variant } = selectVariant(plan, random01, parsed);
  return (plan.variants[variant] ?? []).map((t) => t.address);
}

/** The set of addresses over every variant, sorted. */
export function allAddresses(plan: AnswerPlan): string[] {
  return [...new Set(plan.variants.flat().map((t) => t.address))].sort();
}

/** Addresses of regions, in the order given. */
export function addressesOf(...geoTags: string[]): string[] {
  return geoTags.flatMap((g) => ADDRESSES[g] ?? []);
}

export function plan(host: HostInputs): AnswerPlan {
  return computePlan(host);
}

/** Mulberry32: a tiny seeded PRNG, so statistical tests are deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
