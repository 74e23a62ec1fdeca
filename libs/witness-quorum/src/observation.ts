/** The quorum's view of a region. Same values as `RegionVerdict` in libs/strategies. */
export type VerdictState = 'ALIVE' | 'DOWN' | 'UNKNOWN';

/** What one observer saw of one region's heartbeat. */
export type ObservationResult = 'FRESH' | 'STALE' | 'FAILED';

/** A recursive resolver in another failure domain, or a peer region's witness service. */
export type ObserverKind = 'RESOLVER' | 'PEER_WITNESS';

/** One observer's report on one region's heartbeat. Times are milliseconds since the epoch. */
export interface Observation {
  /** Resolver address or peer region name. */
  readonly observer: string;
  readonly kind: ObserverKind;
  readonly region: string;
  readonly result: ObservationResult;
  readonly reason: string;
  readonly observedAt: number;
  /** The sequence the heartbeat carried; 0 when there was no answer or none could be read. */
  readonly heartbeatSequence: number;
  readonly latencyMs: number;
  /**
   * Whether the observer itself answered. An observer that could not be asked at all (a
   * resolver that does not reply, an unreachable peer witness) has no view of the region, so
   * it abstains instead of counting as "unreachable": losing our own links must never look
   * like the region going down.
   */
  readonly observerAnswered: boolean;
}
