import type { GeoTag } from './target';

/** `spec.strategy.type` of a k8gb `Gslb`. */
export const STRATEGY_TYPES = ['roundRobin', 'failover', 'geoip'] as const;
export type StrategyType = (typeof STRATEGY_TYPES)[number];

/**
 * How a weighted roundRobin answer is shaped once a region is drawn:
 * `reorderAll` (k8gb default) returns every healthy target with the drawn region's first;
 * `chosenOnly` (Route 53 style) returns only the drawn region's targets.
 */
export const WEIGHTED_MODES = ['reorderAll', 'chosenOnly'] as const;
export type WeightedMode = (typeof WEIGHTED_MODES)[number];

/** What a record answers when no usable region has a healthy target. */
export const WHEN_ALL_UNHEALTHY_MODES = ['failOpen', 'empty', 'lastKnownGood'] as const;
export type WhenAllUnhealthy = (typeof WHEN_ALL_UNHEALTHY_MODES)[number];

/** k8gb accepts region weights from 0 to 1000. */
export const MIN_WEIGHT = 0;
export const MAX_WEIGHT = 1000;

/** RFC 2181 §8: a TTL is an unsigned 31-bit number. */
export const MAX_TTL_SECONDS = 2_147_483_647;

/** The routing part of a host's spec. Field names follow k8gb's `Gslb` spec. */
export interface StrategySpec {
  readonly type: StrategyType;
  /** failover order; a plain string is a list of one (k8gb compatibility). */
  readonly primaryGeoTag?: GeoTag | readonly GeoTag[];
  /** roundRobin region weights, 0..1000; an empty map means plain roundRobin. */
  readonly weight?: Readonly<Record<GeoTag, number>>;
  /** Defaults to `reorderAll`, k8gb's behaviour. */
  readonly weightedMode?: WeightedMode;
  readonly dnsTtlSeconds: number;
  readonly whenAllUnhealthy: WhenAllUnhealthy;
  /** For each region, the other regions from nearest to farthest (geoip, failover). */
  readonly proximity?: Readonly<Record<GeoTag, readonly GeoTag[]>>;
}

/** `primaryGeoTag` as a list: k8gb's single string becomes a list of one. */
export function primaryGeoTags(spec: StrategySpec): readonly GeoTag[] {
  const primary = spec.primaryGeoTag;
  if (primary === undefined) return [];
  return typeof primary === 'string' ? [primary] : primary;
}

/** A roundRobin spec is weighted only when its weight map has at least one entry. */
export function hasWeights(spec: StrategySpec): boolean {
  return spec.weight !== undefined && Object.keys(spec.weight).length > 0;
}
