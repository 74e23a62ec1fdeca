import type { Observation, ObserverKind } from '@meridian/witness-quorum';

/** A region's heartbeat: the TXT name only that region's own nameservers answer. */
export interface HeartbeatTarget {
  readonly region: string;
  readonly name: string;
}

/** Milliseconds since the epoch; injected so every judgement is testable. */
export type Clock = () => number;

/** One witness: asked once per round about every region, it answers with one observation each. */
export interface Observer {
  /** Resolver address or peer region name: the `observer` of its observations. */
  readonly name: string;
  readonly kind: ObserverKind;
  /** One observation per target it can judge. Never rejects: failures are observations too. */
  observe(targets: readonly HeartbeatTarget[]): Promise<Observation[]>;
}
