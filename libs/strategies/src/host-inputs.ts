import type { AnswerPlan } from './answer-plan';
import type { CidrTable } from './cidr-table';
import type { RegionVerdict } from './region-verdict';
import type { StalenessLimits } from './staleness-limits';
import type { StrategySpec } from './strategy-spec';
import type { AddressFamily, GeoTag, RegionTarget } from './target';

/** What this region knows about one region's targets for a host. */
export interface RegionInput {
  readonly geoTag: GeoTag;
  readonly local: boolean;
  /** The last targets the region reported, with the health it reported. */
  readonly targets: readonly RegionTarget[];
  /** When the owner last confirmed this data. Ignored for the local region (always fresh). */
  readonly observedAtMs: number;
  /** The witness quorum's verdict on that region. */
  readonly verdict: RegionVerdict;
}

/** Everything {@link computePlan} needs for one host. */
export interface HostInputs {
  readonly spec: StrategySpec;
  readonly localGeoTag: GeoTag;
  /** One entry per region known for this host; geotags are unique. */
  readonly regions: readonly RegionInput[];
  /** The last plan computed for this host: used by lastKnownGood and the UNKNOWN hysteresis. */
  readonly previous?: AnswerPlan;
  readonly nowMs: number;
  /** Defaults to DEFAULT_STALENESS_LIMITS. */
  readonly limits?: StalenessLimits;
  /** Only targets of this family count (records plans A and AAAA separately); all when absent. */
  readonly family?: AddressFamily;
  /** The CIDR → region table for geoip, compiled once per region config. */
  readonly geo?: CidrTable;
}
