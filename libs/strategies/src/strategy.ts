import type { StrategyKind, VariantSelector } from './answer-plan';
import type { CidrTable } from './cidr-table';
import type { StrategySpec } from './strategy-spec';
import type { GeoTag, RegionTarget, Target } from './target';

/** A region whose data the split-brain rules admitted, narrowed to the planned family. */
export interface UsableRegion {
  readonly geoTag: GeoTag;
  readonly local: boolean;
  readonly targets: readonly RegionTarget[];
  /** The healthy targets, in reported order, as plain targets. */
  readonly healthy: readonly Target[];
}

export interface StrategyContext {
  readonly spec: StrategySpec;
  /** Usable regions, sorted by geotag so every region computes the same answer. */
  readonly regions: readonly UsableRegion[];
  /** Every region known for the host, usable or not, sorted by geotag. */
  readonly knownGeoTags: readonly GeoTag[];
  readonly geo?: CidrTable;
}

/** A strategy's answer when it found healthy targets. */
export interface StrategyOutcome {
  readonly variants: Target[][];
  readonly selector: VariantSelector;
  /** Regions whose targets appear in at least one variant. */
  readonly used: ReadonlySet<GeoTag>;
}

/** One routing policy. Pure: everything it needs is in the context. */
export interface Strategy {
  readonly kind: StrategyKind;
  /** null when it has no healthy target to answer with; whenAllUnhealthy then applies. */
  plan(context: StrategyContext): StrategyOutcome | null;
}
