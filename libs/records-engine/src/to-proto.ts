import { isIPv4 } from 'node:net';
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
  type AnswerPlan as ProtoPlan,
  type HostAnswers,
  type HostSpec,
  type Observation,
  type RegionVerdict,
  type SpecProblem,
  type Strategy,
  type Target as ProtoTarget,
  type TargetHealth,
} from '@meridian/proto';
import { primaryGeoTags, type AnswerPlan, type RegionVerdict as DomainVerdict, type StrategySpec, type Target, type VariantSelector } from '@meridian/strategies';
import type { HostPlans } from './host-plans';
import type { HostSpecReport, ObservationReport, ServiceHealth, SpecProblemReport, TargetFamily, TargetReport, TargetSourceName, VerdictReport } from './reports';

/** Converters from the engine's domain types to the generated contract types. */

function date(ms: number): Date | undefined {
  return ms > 0 ? new Date(ms) : undefined;
}

const STRATEGY_TYPE: Readonly<Record<AnswerPlan['strategy'], StrategyType>> = {
  roundRobin: StrategyType.STRATEGY_TYPE_ROUND_ROBIN,
  weightedRoundRobin: StrategyType.STRATEGY_TYPE_ROUND_ROBIN,
  failover: StrategyType.STRATEGY_TYPE_FAILOVER,
  geoip: StrategyType.STRATEGY_TYPE_GEOIP,
};

/**
 * A planned target on the wire. Planned IPv4 targets and NAME targets share the A plan (the
 * strategy library only knows families 4 and 6), so a family-4 address that is not an IPv4
 * address is a name. The source is left out: DNS servers do not need it.
 */
export function plannedTargetToProto(target: Target): ProtoTarget {
  const family =
    target.family === 6 ? AddressFamily.ADDRESS_FAMILY_IPV6 : isIPv4(target.address) ? AddressFamily.ADDRESS_FAMILY_IPV4 : AddressFamily.ADDRESS_FAMILY_NAME;
  return { address: target.address, family, source: TargetSource.TARGET_SOURCE_UNSPECIFIED };
}

function selectorToProto(selector: VariantSelector): ProtoPlan['selector'] {
  switch (selector.kind) {
    case 'single':
      return { $case: 'single', single: {} };
    case 'rotate':
      return { $case: 'rotate', rotate: {} };
    case 'weighted':
      return { $case: 'weighted', weighted: { weights: [...selector.weights] } };
    case 'geo':
      return { $case: 'geo', geo: { variantByRegion: { ...selector.variantByGeoTag }, defaultVariant: selector.defaultVariant } };
  }
}

/** An answer plan on the wire; its geo table is not sent per host (the zone header carries the routes). */
export function planToProto(plan: AnswerPlan): ProtoPlan {
  return {
    strategy: STRATEGY_TYPE[plan.strategy],
    variants: plan.variants.map((targets) => ({ targets: targets.map(plannedTargetToProto) })),
    selector: selectorToProto(plan.selector),
    failOpen: plan.failOpen,
  };
}

export function hostAnswersToProto(plans: HostPlans): HostAnswers {
  return { a: plans.a === undefined ? undefined : planToProto(plans.a), aaaa: plans.aaaa === undefined ? undefined : planToProto(plans.aaaa) };
}

const FAMILY: Readonly<Record<TargetFamily, AddressFamily>> = {
  ipv4: AddressFamily.ADDRESS_FAMILY_IPV4,
  ipv6: AddressFamily.ADDRESS_FAMILY_IPV6,
  name: AddressFamily.ADDRESS_FAMILY_NAME,
};

const SOURCE: Readonly<Record<TargetSourceName, TargetSource>> = {
  unspecified: TargetSource.TARGET_SOURCE_UNSPECIFIED,
  ingress: TargetSource.TARGET_SOURCE_INGRESS,
  gateway: TargetSource.TARGET_SOURCE_GATEWAY,
  loadBalancer: TargetSource.TARGET_SOURCE_LOAD_BALANCER,
  exposedIpAnnotation: TargetSource.TARGET_SOURCE_EXPOSED_IP_ANNOTATION,
  static: TargetSource.TARGET_SOURCE_STATIC,
};

const HEALTH: Readonly<Record<ServiceHealth, HealthState>> = {
  Healthy: HealthState.HEALTH_STATE_HEALTHY,
  Unhealthy: HealthState.HEALTH_STATE_UNHEALTHY,
  NotFound: HealthState.HEALTH_STATE_NOT_FOUND,
  Unspecified: HealthState.HEALTH_STATE_UNSPECIFIED,
};

export function targetReportToProto(t: TargetReport): TargetHealth {
  return {
    target: { address: t.address, family: FAMILY[t.family], source: SOURCE[t.source] },
    state: HEALTH[t.state],
    checks: t.checks.map((c) => ({
      check: c.check,
      passed: c.passed,
      message: c.message,
      observedAt: date(c.observedAtMs),
      latencyMs: c.latencyMs,
      consecutive: c.consecutive,
    })),
    changedAt: date(t.changedAtMs),
  };
}

const VERDICT: Readonly<Record<DomainVerdict, VerdictState>> = {
  ALIVE: VerdictState.VERDICT_STATE_ALIVE,
  DOWN: VerdictState.VERDICT_STATE_DOWN,
  UNKNOWN: VerdictState.VERDICT_STATE_UNKNOWN,
};

const OBSERVER_KIND: Readonly<Record<ObservationReport['kind'], ObserverKind>> = {
  unspecified: ObserverKind.OBSERVER_KIND_UNSPECIFIED,
  resolver: ObserverKind.OBSERVER_KIND_RESOLVER,
  peerWitness: ObserverKind.OBSERVER_KIND_PEER_WITNESS,
};

const RESULT: Readonly<Record<ObservationReport['result'], ObservationResult>> = {
  unspecified: ObservationResult.OBSERVATION_RESULT_UNSPECIFIED,
  fresh: ObservationResult.OBSERVATION_RESULT_FRESH,
  stale: ObservationResult.OBSERVATION_RESULT_STALE,
  failed: ObservationResult.OBSERVATION_RESULT_FAILED,
};

function observationToProto(o: ObservationReport): Observation {
  return {
    observer: o.observer,
    kind: OBSERVER_KIND[o.kind],
    region: o.region,
    result: RESULT[o.result],
    reason: o.reason,
    observedAt: date(o.observedAtMs),
    heartbeatSequence: o.heartbeatSequence,
    latencyMs: o.latencyMs,
  };
}

export function verdictToProto(v: VerdictReport): RegionVerdict {
  return {
    region: v.region,
    state: VERDICT[v.state],
    lastDecided: v.lastDecided === undefined ? VerdictState.VERDICT_STATE_UNSPECIFIED : VERDICT[v.lastDecided],
    quorum: v.quorum,
    observers: v.observers,
    reachable: v.reachable,
    unreachable: v.unreachable,
    evidence: v.evidence.map(observationToProto),
    decidedAt: date(v.decidedAtMs),
    updatedAt: date(v.updatedAtMs),
  };
}

const SPEC_TYPE: Readonly<Record<StrategySpec['type'], StrategyType>> = {
  roundRobin: StrategyType.STRATEGY_TYPE_ROUND_ROBIN,
  failover: StrategyType.STRATEGY_TYPE_FAILOVER,
  geoip: StrategyType.STRATEGY_TYPE_GEOIP,
};

const WHEN_ALL_UNHEALTHY: Readonly<Record<StrategySpec['whenAllUnhealthy'], WhenAllUnhealthy>> = {
  failOpen: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_FAIL_OPEN,
  empty: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY,
  lastKnownGood: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_LAST_KNOWN_GOOD,
};

export function strategyToProto(spec: StrategySpec): Strategy {
  return {
    type: SPEC_TYPE[spec.type],
    primaryGeoTags: [...primaryGeoTags(spec)],
    weights: { ...(spec.weight ?? {}) },
    weightedMode: spec.weightedMode === 'chosenOnly' ? WeightedMode.WEIGHTED_MODE_CHOSEN_ONLY : WeightedMode.WEIGHTED_MODE_REORDER_ALL,
    dnsTtlSeconds: spec.dnsTtlSeconds,
    whenAllUnhealthy: WHEN_ALL_UNHEALTHY[spec.whenAllUnhealthy],
  };
}

export function hostSpecToProto(spec: HostSpecReport): HostSpec {
  return { host: spec.host, gslb: spec.gslb, strategy: spec.strategy === undefined ? undefined : strategyToProto(spec.strategy) };
}

export function problemToProto(p: SpecProblemReport): SpecProblem {
  return { source: p.source, resource: p.resource, field: p.field, message: p.message };
}
