import {
  AddressFamily,
  HealthState,
  ObservationResult,
  ObserverKind,
  StrategyType,
  TargetSource,
  VerdictState,
  WeightedMode,
  WhenAllUnhealthy,
  type CheckResult,
  type HostHealth,
  type LocalTargetsDelta,
  type LocalTargetsSnapshot,
  type Observation,
  type RegionTargets,
  type RegionTargetsChange,
  type RegionVerdict,
  type RemoteTargetsDelta,
  type RemoteTargetsSnapshot,
  type SpecProblem,
  type Strategy,
  type TargetHealth,
  type VerdictsDelta,
  type VerdictsSnapshot,
} from '@meridian/proto';
import type { RegionVerdict as DomainVerdict, StrategySpec, StrategyType as DomainStrategyType } from '@meridian/strategies';
import { normalizeName } from './dns-names';
import type { LocalTargetsEvent, RemoteRegionChange, RemoteRegionReport, RemoteTargetsEvent, VerdictsEvent } from './input-events';
import type {
  CheckReport,
  HostReport,
  HostSpecReport,
  ObservationReport,
  ServiceHealth,
  SpecProblemReport,
  TargetFamily,
  TargetReport,
  TargetSourceName,
  VerdictReport,
} from './reports';

/** Converters from the generated contract types to the engine's domain types (lenient: never throw). */

export function timeMs(date: Date | undefined): number {
  return date === undefined ? 0 : date.getTime();
}

const HEALTH: Readonly<Record<number, ServiceHealth>> = {
  [HealthState.HEALTH_STATE_HEALTHY]: 'Healthy',
  [HealthState.HEALTH_STATE_UNHEALTHY]: 'Unhealthy',
  [HealthState.HEALTH_STATE_NOT_FOUND]: 'NotFound',
};

export function serviceHealthFromProto(state: HealthState): ServiceHealth {
  return HEALTH[state] ?? 'Unspecified';
}

const FAMILY: Readonly<Record<number, TargetFamily>> = {
  [AddressFamily.ADDRESS_FAMILY_IPV4]: 'ipv4',
  [AddressFamily.ADDRESS_FAMILY_IPV6]: 'ipv6',
  [AddressFamily.ADDRESS_FAMILY_NAME]: 'name',
};

const SOURCE: Readonly<Record<number, TargetSourceName>> = {
  [TargetSource.TARGET_SOURCE_INGRESS]: 'ingress',
  [TargetSource.TARGET_SOURCE_GATEWAY]: 'gateway',
  [TargetSource.TARGET_SOURCE_LOAD_BALANCER]: 'loadBalancer',
  [TargetSource.TARGET_SOURCE_EXPOSED_IP_ANNOTATION]: 'exposedIpAnnotation',
  [TargetSource.TARGET_SOURCE_STATIC]: 'static',
};

function checkFromProto(check: CheckResult): CheckReport {
  return {
    check: check.check,
    passed: check.passed,
    message: check.message,
    observedAtMs: timeMs(check.observedAt),
    latencyMs: check.latencyMs,
    consecutive: check.consecutive,
  };
}

/** A target without an address or a known family cannot be answered; it is dropped. */
function targetFromProto(target: TargetHealth): TargetReport | undefined {
  const address = target.target?.address.trim() ?? '';
  const family = FAMILY[target.target?.family ?? 0];
  if (address === '' || family === undefined) return undefined;
  return {
    address: family === 'name' ? normalizeName(address) : address.toLowerCase(),
    family,
    source: SOURCE[target.target?.source ?? 0] ?? 'unspecified',
    state: serviceHealthFromProto(target.state),
    checks: target.checks.map(checkFromProto),
    changedAtMs: timeMs(target.changedAt),
  };
}

const STRATEGY: Readonly<Record<number, DomainStrategyType>> = {
  [StrategyType.STRATEGY_TYPE_ROUND_ROBIN]: 'roundRobin',
  [StrategyType.STRATEGY_TYPE_FAILOVER]: 'failover',
  [StrategyType.STRATEGY_TYPE_GEOIP]: 'geoip',
};

const WHEN_ALL_UNHEALTHY: Readonly<Record<number, StrategySpec['whenAllUnhealthy']>> = {
  [WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_FAIL_OPEN]: 'failOpen',
  [WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY]: 'empty',
  [WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_LAST_KNOWN_GOOD]: 'lastKnownGood',
};

/**
 * The strategy as the planner takes it. Unset enums get k8gb's behaviour (reorderAll,
 * NODATA when nothing is healthy); an unset type cannot be guessed and is a problem.
 */
export function strategyFromProto(strategy: Strategy | undefined): { spec: StrategySpec } | { problem: string } {
  if (strategy === undefined) return { problem: 'the spec carries no strategy' };
  const type = STRATEGY[strategy.type];
  if (type === undefined) return { problem: `strategy type ${StrategyType[strategy.type] ?? strategy.type} is not one records can plan` };
  const primary = strategy.primaryGeoTags.map((t) => t.trim()).filter((t) => t !== '');
  const weights = Object.entries(strategy.weights);
  const spec: StrategySpec = {
    type,
    dnsTtlSeconds: strategy.dnsTtlSeconds,
    whenAllUnhealthy: WHEN_ALL_UNHEALTHY[strategy.whenAllUnhealthy] ?? 'empty',
    weightedMode: strategy.weightedMode === WeightedMode.WEIGHTED_MODE_CHOSEN_ONLY ? 'chosenOnly' : 'reorderAll',
    ...(primary.length === 1 ? { primaryGeoTag: primary[0] as string } : primary.length > 1 ? { primaryGeoTag: primary } : {}),
    ...(weights.length > 0 ? { weight: Object.fromEntries(weights) } : {}),
  };
  return { spec };
}

export function hostFromProto(health: HostHealth, region: string): HostReport {
  const host = normalizeName(health.host || health.spec?.host || '');
  let spec: HostSpecReport | undefined;
  if (health.spec !== undefined) {
    const strategy = strategyFromProto(health.spec.strategy);
    spec = {
      host: normalizeName(health.spec.host || host),
      gslb: health.spec.gslb,
      strategy: 'spec' in strategy ? strategy.spec : undefined,
      ...('problem' in strategy ? { problem: strategy.problem } : {}),
    };
  }
  return {
    host,
    region,
    spec,
    serviceHealth: serviceHealthFromProto(health.serviceHealth),
    targets: health.targets.map(targetFromProto).filter((t): t is TargetReport => t !== undefined),
    observedAtMs: timeMs(health.observedAt),
  };
}

export function problemFromProto(problem: SpecProblem): SpecProblemReport {
  return { source: problem.source, resource: problem.resource, field: problem.field, message: problem.message };
}

/** A prober snapshot; `localGeoTag` is this region's geotag (the prober serves no other). */
export function localSnapshotFromProto(snapshot: LocalTargetsSnapshot, localGeoTag: string): LocalTargetsEvent {
  return {
    kind: 'snapshot',
    hosts: snapshot.hosts.map((h) => hostFromProto(h, localGeoTag)).filter((h) => h.host !== ''),
    problems: snapshot.problems.map(problemFromProto),
  };
}

export function localDeltaFromProto(delta: LocalTargetsDelta, localGeoTag: string): LocalTargetsEvent {
  return {
    kind: 'delta',
    upserted: delta.upserted.map((h) => hostFromProto(h, localGeoTag)).filter((h) => h.host !== ''),
    removed: delta.removedHosts.map(normalizeName),
    ...(delta.problemsChanged ? { problems: delta.problems.map(problemFromProto) } : {}),
  };
}

function remoteRegionFromProto(region: RegionTargets): RemoteRegionReport {
  return {
    region: region.region,
    hosts: region.hosts.map((h) => hostFromProto(h, region.region)).filter((h) => h.host !== ''),
    lastContactMs: timeMs(region.lastContact),
    connected: region.connected,
  };
}

function remoteChangeFromProto(change: RegionTargetsChange): RemoteRegionChange {
  return {
    region: change.region,
    upserted: change.upserted.map((h) => hostFromProto(h, change.region)).filter((h) => h.host !== ''),
    removed: change.removedHosts.map(normalizeName),
    lastContactMs: timeMs(change.lastContact),
    connected: change.connected,
    regionRemoved: change.regionRemoved,
  };
}

export function remoteSnapshotFromProto(snapshot: RemoteTargetsSnapshot): RemoteTargetsEvent {
  return { kind: 'snapshot', regions: snapshot.regions.filter((r) => r.region !== '').map(remoteRegionFromProto) };
}

export function remoteDeltaFromProto(delta: RemoteTargetsDelta): RemoteTargetsEvent {
  return { kind: 'delta', changes: delta.changes.filter((c) => c.region !== '').map(remoteChangeFromProto) };
}

const VERDICT: Readonly<Record<number, DomainVerdict>> = {
  [VerdictState.VERDICT_STATE_ALIVE]: 'ALIVE',
  [VerdictState.VERDICT_STATE_DOWN]: 'DOWN',
  [VerdictState.VERDICT_STATE_UNKNOWN]: 'UNKNOWN',
};

const OBSERVER_KIND: Readonly<Record<number, ObservationReport['kind']>> = {
  [ObserverKind.OBSERVER_KIND_RESOLVER]: 'resolver',
  [ObserverKind.OBSERVER_KIND_PEER_WITNESS]: 'peerWitness',
};

const OBSERVATION_RESULT: Readonly<Record<number, ObservationReport['result']>> = {
  [ObservationResult.OBSERVATION_RESULT_FRESH]: 'fresh',
  [ObservationResult.OBSERVATION_RESULT_STALE]: 'stale',
  [ObservationResult.OBSERVATION_RESULT_FAILED]: 'failed',
};

function observationFromProto(o: Observation): ObservationReport {
  return {
    observer: o.observer,
    kind: OBSERVER_KIND[o.kind] ?? 'unspecified',
    region: o.region,
    result: OBSERVATION_RESULT[o.result] ?? 'unspecified',
    reason: o.reason,
    observedAtMs: timeMs(o.observedAt),
    heartbeatSequence: o.heartbeatSequence,
    latencyMs: o.latencyMs,
  };
}

/** An unset state carries no evidence either way: UNKNOWN. */
export function verdictFromProto(v: RegionVerdict): VerdictReport {
  return {
    region: v.region,
    state: VERDICT[v.state] ?? 'UNKNOWN',
    lastDecided: VERDICT[v.lastDecided],
    quorum: v.quorum,
    observers: v.observers,
    reachable: v.reachable,
    unreachable: v.unreachable,
    evidence: v.evidence.map(observationFromProto),
    decidedAtMs: timeMs(v.decidedAt),
    updatedAtMs: timeMs(v.updatedAt),
  };
}

export function verdictsSnapshotFromProto(snapshot: VerdictsSnapshot): VerdictsEvent {
  return { kind: 'snapshot', verdicts: snapshot.verdicts.filter((v) => v.region !== '').map(verdictFromProto) };
}

export function verdictsDeltaFromProto(delta: VerdictsDelta): VerdictsEvent {
  return { kind: 'delta', changed: delta.changed.filter((v) => v.region !== '').map(verdictFromProto) };
}
