import type { GeoTag, RegionVerdict, StrategySpec } from '@meridian/strategies';

/**
 * What the inputs report, as domain types: converted from the contracts at the edge
 * (from-proto.ts) and back for Explain (to-proto.ts), so generated types stay out of the
 * engine. Times are milliseconds since the epoch; 0 means "not given".
 */

/** k8gb's serviceHealth values, plus `Unspecified` ("not judged yet"). */
export type ServiceHealth = 'Healthy' | 'Unhealthy' | 'NotFound' | 'Unspecified';

/** An address family on the wire: NAME targets are answered with a CNAME. */
export type TargetFamily = 'ipv4' | 'ipv6' | 'name';

export type TargetSourceName = 'unspecified' | 'ingress' | 'gateway' | 'loadBalancer' | 'exposedIpAnnotation' | 'static';

export interface CheckReport {
  readonly check: string;
  readonly passed: boolean;
  readonly message: string;
  readonly observedAtMs: number;
  readonly latencyMs: number;
  readonly consecutive: number;
}

export interface TargetReport {
  readonly address: string;
  readonly family: TargetFamily;
  readonly source: TargetSourceName;
  readonly state: ServiceHealth;
  readonly checks: readonly CheckReport[];
  readonly changedAtMs: number;
}

/** A host's spec as one region declares it; `strategy` is undefined when records cannot use it. */
export interface HostSpecReport {
  readonly host: string;
  /** `namespace/name` of the Gslb that declares the host. */
  readonly gslb: string;
  readonly strategy: StrategySpec | undefined;
  /** Why the strategy could not be read, when it could not. */
  readonly problem?: string;
}

/** One region's view of one host. */
export interface HostReport {
  readonly host: string;
  readonly region: GeoTag;
  readonly spec: HostSpecReport | undefined;
  readonly serviceHealth: ServiceHealth;
  readonly targets: readonly TargetReport[];
  readonly observedAtMs: number;
}

export interface SpecProblemReport {
  readonly source: string;
  readonly resource: string;
  readonly field: string;
  readonly message: string;
}

export type ObservationResultName = 'unspecified' | 'fresh' | 'stale' | 'failed';

export interface ObservationReport {
  readonly observer: string;
  readonly kind: 'unspecified' | 'resolver' | 'peerWitness';
  readonly region: GeoTag;
  readonly result: ObservationResultName;
  readonly reason: string;
  readonly observedAtMs: number;
  readonly heartbeatSequence: number;
  readonly latencyMs: number;
}

/** The witness quorum's verdict on a region, with its evidence. */
export interface VerdictReport {
  readonly region: GeoTag;
  readonly state: RegionVerdict;
  readonly lastDecided: RegionVerdict | undefined;
  readonly quorum: number;
  readonly observers: number;
  readonly reachable: number;
  readonly unreachable: number;
  readonly evidence: readonly ObservationReport[];
  readonly decidedAtMs: number;
  readonly updatedAtMs: number;
}

/** Whether a target counts as healthy: only a HEALTHY judgement does ("not judged yet" does not). */
export function isHealthy(target: TargetReport): boolean {
  return target.state === 'Healthy';
}
