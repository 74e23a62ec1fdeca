import type { CidrTable } from './cidr-table';
import type { WhenAllUnhealthy } from './strategy-spec';
import type { GeoTag, Target } from './target';

/** Which strategy implementation produced a plan (roundRobin with weights is its own). */
export type StrategyKind = 'roundRobin' | 'weightedRoundRobin' | 'failover' | 'geoip';

/** Variant 0 always. */
export interface SingleSelector {
  readonly kind: 'single';
}

/** Variant i is variant 0 rotated (see `rotations`): pick one uniformly per query. */
export interface RotateSelector {
  readonly kind: 'rotate';
}

/** Pick variant i with probability weights[i] / sum(weights). */
export interface WeightedSelector {
  readonly kind: 'weighted';
  readonly weights: number[];
}

/** Pick the variant of the client's region. */
export interface GeoSelector {
  readonly kind: 'geo';
  /** The shared CIDR table; absent when regions come only from a {@link GeoLocator}. */
  readonly table?: CidrTable;
  /** The variant for each entry of `table.geoTags`. */
  readonly regionVariant: number[];
  /** The variant for each geotag a {@link GeoLocator} may return. */
  readonly variantByGeoTag: Record<GeoTag, number>;
  /** For clients in no known region. */
  readonly defaultVariant: number;
}

export type VariantSelector = SingleSelector | RotateSelector | WeightedSelector | GeoSelector;

/** 'none' when a strategy found a healthy answer, else the whenAllUnhealthy mode applied. */
export type PlanFallback = 'none' | WhenAllUnhealthy;

/** Why a region's data was admitted or dropped (the split-brain rules). */
export type RegionRule =
  | 'local'
  | 'fresh'
  | 'held-alive'
  | 'held-unknown'
  | 'dropped-down'
  | 'dropped-alive-expired'
  | 'dropped-unknown-expired'
  | 'dropped-unknown-hysteresis';

/** One region's part in a plan, for Explain and metrics. */
export interface RegionDecision {
  readonly geoTag: GeoTag;
  /** Its data was admitted by the split-brain rules. */
  readonly usable: boolean;
  /** Its targets appear in at least one variant. */
  readonly used: boolean;
  readonly rule: RegionRule;
  readonly reason: string;
}

/**
 * Everything `dns` needs to answer a host, as serializable plain data. The per-query work
 * is only {@link selectVariant}: pick one of the precomputed variants.
 */
export interface AnswerPlan {
  readonly strategy: StrategyKind;
  readonly ttlSeconds: number;
  /** Distinct precomputed answers, each an ordered target list. Never empty: `[[]]` is NODATA. */
  readonly variants: Target[][];
  readonly selector: VariantSelector;
  /** Answers include unhealthy targets because nothing was healthy (metrics show this). */
  readonly failOpen: boolean;
  /** Every variant is empty: answer NODATA. */
  readonly empty: boolean;
  readonly fallback: PlanFallback;
  readonly decisions: RegionDecision[];
}
