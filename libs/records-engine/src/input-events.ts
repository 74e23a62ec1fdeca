import type { GeoTag } from '@meridian/strategies';
import type { HostReport, SpecProblemReport, VerdictReport } from './reports';

/** What the prober's WatchLocalTargets stream brings, as domain events. */
export type LocalTargetsEvent =
  | { readonly kind: 'snapshot'; readonly hosts: readonly HostReport[]; readonly problems: readonly SpecProblemReport[] }
  | {
      readonly kind: 'delta';
      readonly upserted: readonly HostReport[];
      readonly removed: readonly string[];
      /** The full list of problems, present only when it changed. */
      readonly problems?: readonly SpecProblemReport[];
    };

/** Everything known about one remote region. */
export interface RemoteRegionReport {
  readonly region: GeoTag;
  readonly hosts: readonly HostReport[];
  /** When the region last sent anything, heartbeats included (0: never). */
  readonly lastContactMs: number;
  readonly connected: boolean;
}

/** One region's part of a remote-targets delta. */
export interface RemoteRegionChange {
  readonly region: GeoTag;
  readonly upserted: readonly HostReport[];
  readonly removed: readonly string[];
  readonly lastContactMs: number;
  readonly connected: boolean;
  readonly regionRemoved: boolean;
}

/** What peer-sync's WatchRemoteTargets stream brings. */
export type RemoteTargetsEvent =
  | { readonly kind: 'snapshot'; readonly regions: readonly RemoteRegionReport[] }
  | { readonly kind: 'delta'; readonly changes: readonly RemoteRegionChange[] };

/** What the witness's WatchVerdicts stream brings. */
export type VerdictsEvent =
  | { readonly kind: 'snapshot'; readonly verdicts: readonly VerdictReport[] }
  | { readonly kind: 'delta'; readonly changed: readonly VerdictReport[] };
