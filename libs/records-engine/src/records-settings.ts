import type { GeoCidr, GeoTag, StalenessLimits } from '@meridian/strategies';

/** SOA fields of a zone (the serial follows the zone version, so it is not here). */
export interface SoaSettings {
  /** The responsible mailbox as a domain name, e.g. `hostmaster.gslb.example.com`. */
  readonly rname: string;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  /** Negative caching TTL (RFC 2308); k8gb's `dnsZoneNegTTL`. */
  readonly minimum: number;
  readonly ttlSeconds: number;
}

/** One delegated zone, as k8gb's `dnsZones` entry: the zone and the parent (edge) zone. */
export interface ZoneSettings {
  /** The delegated zone, e.g. `gslb.example.com`. */
  readonly origin: string;
  /** The zone that delegates it and holds the nameserver names, e.g. `example.com`. */
  readonly parentZone: string;
  readonly soa: SoaSettings;
  readonly nsTtlSeconds: number;
}

/** A region of the fleet. */
export interface RegionSettings {
  readonly geoTag: GeoTag;
  /** The other regions, nearest first (geoip fallback and failover order). */
  readonly proximity: readonly GeoTag[];
}

/** The witness heartbeat each region publishes at `<geotag>._witness.<zone>`. */
export interface WitnessHeartbeatSettings {
  readonly intervalMs: number;
  readonly ttlSeconds: number;
  /** TTL of the NS delegations of the other regions' heartbeat names. */
  readonly delegationTtlSeconds: number;
}

/**
 * Everything the engine needs, compiled once from the configuration (at the edge) into a
 * strict shape: names normalised, defaults applied, cross-references already checked.
 */
export interface RecordsSettings {
  readonly localGeoTag: GeoTag;
  /** Every region of the fleet, this one included, sorted by geotag. */
  readonly regions: readonly RegionSettings[];
  readonly zones: readonly ZoneSettings[];
  /** k8gb's nameserver name prefix, `gslb-ns` unless configured. */
  readonly nameserverPrefix: string;
  /** Client subnet → region, for geoip; sent to DNS servers in each zone header. */
  readonly geoCidrs: readonly GeoCidr[];
  readonly limits: StalenessLimits;
  readonly witnessHeartbeat: WitnessHeartbeatSettings;
  /** How often held and silent regions are re-judged against the staleness limits. */
  readonly reevaluateIntervalMs: number;
  /**
   * How long readiness waits for configured optional inputs (peer-sync, witness) to sync
   * before the zone is served without them: a restarted records should not publish a zone
   * that forgot the other regions, but it must not wait forever for a peer-sync that is down.
   */
  readonly startupGraceMs: number;
  /** Whether a prober stream is configured: readiness then waits for its first snapshot. */
  readonly expectLocalTargets: boolean;
  /** Whether peer-sync and witness streams are configured (readiness waits for them, up to the grace). */
  readonly expectRemoteTargets: boolean;
  readonly expectVerdicts: boolean;
}

export const DEFAULT_SOA: SoaSettings = Object.freeze({ rname: '', refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 30 });
