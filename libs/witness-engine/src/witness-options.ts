import type { HeartbeatTarget } from '@meridian/witness-observers';
import type { QuorumPolicy } from '@meridian/witness-quorum';

/** The witness's settings in their strict internal shape: milliseconds, names resolved, validated. */
export interface WitnessOptions {
  /** This region's geotag. */
  readonly region: string;
  /** The regions judged: every configured region but this one. */
  readonly judged: readonly HeartbeatTarget[];
  /** The regions observed directly for `Observe` (those with nameservers, this one included). */
  readonly observed: readonly HeartbeatTarget[];
  readonly intervalMs: number;
  readonly policy: QuorumPolicy;
}
