import { primaryGeoTags, type StrategySpec } from '@meridian/strategies';
import type { SpecProblem as DomainProblem, TargetAddress } from '@meridian/gslb-resources';
import {
  AddressFamily,
  HealthState,
  StrategyType,
  TargetSource,
  WeightedMode,
  WhenAllUnhealthy,
  type CheckResult,
  type HostHealth,
  type SpecProblem,
  type Strategy,
  type Target,
} from '@meridian/proto';
import type { Health } from './health-state';

/** Converters from the prober's domain to meridian.v1 messages; nothing else touches generated types. */
export function healthToProto(health: Health): HealthState {
  switch (health) {
    case 'healthy':
      return HealthState.HEALTH_STATE_HEALTHY;
    case 'unhealthy':
      return HealthState.HEALTH_STATE_UNHEALTHY;
    case 'notFound':
      return HealthState.HEALTH_STATE_NOT_FOUND;
    case 'unspecified':
      return HealthState.HEALTH_STATE_UNSPECIFIED;
  }
}

export function targetToProto(target: TargetAddress): Target {
  const family = { ipv4: AddressFamily.ADDRESS_FAMILY_IPV4, ipv6: AddressFamily.ADDRESS_FAMILY_IPV6, name: AddressFamily.ADDRESS_FAMILY_NAME }[target.family];
  const source = {
    ingress: TargetSource.TARGET_SOURCE_INGRESS,
    gateway: TargetSource.TARGET_SOURCE_GATEWAY,
    loadBalancer: TargetSource.TARGET_SOURCE_LOAD_BALANCER,
    exposedIpAnnotation: TargetSource.TARGET_SOURCE_EXPOSED_IP_ANNOTATION,
  }[target.source];
  return { address: target.address, family, source };
}

export function strategyToProto(spec: StrategySpec): Strategy {
  const type = { roundRobin: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, failover: StrategyType.STRATEGY_TYPE_FAILOVER, geoip: StrategyType.STRATEGY_TYPE_GEOIP }[spec.type];
  const weightedMode = spec.weightedMode === 'chosenOnly' ? WeightedMode.WEIGHTED_MODE_CHOSEN_ONLY : WeightedMode.WEIGHTED_MODE_REORDER_ALL;
  const whenAllUnhealthy = {
    failOpen: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_FAIL_OPEN,
    empty: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY,
    lastKnownGood: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_LAST_KNOWN_GOOD,
  }[spec.whenAllUnhealthy];
  return { type, primaryGeoTags: [...primaryGeoTags(spec)], weights: { ...(spec.weight ?? {}) }, weightedMode, dnsTtlSeconds: spec.dnsTtlSeconds, whenAllUnhealthy };
}

export function problemToProto(p: DomainProblem): SpecProblem {
  return { source: p.source, resource: p.resource, field: p.field, message: p.message };
}

export interface CheckResultInput {
  check: string;
  passed: boolean;
  message: string;
  observedAtMs: number | undefined;
  latencyMs: number;
  consecutive: number;
}

export function checkResultToProto(r: CheckResultInput): CheckResult {
  return {
    check: r.check,
    passed: r.passed,
    message: r.message,
    observedAt: r.observedAtMs === undefined ? undefined : new Date(r.observedAtMs),
    latencyMs: Math.min(0xffffffff, Math.round(r.latencyMs)),
    consecutive: r.consecutive,
  };
}

export type { HostHealth };
