import { computePlan, type AddressFamily, type AnswerPlan, type CidrTable, type GeoTag, type RegionTarget, type RegionVerdict, type StalenessLimits, type StrategySpec } from '@meridian/strategies';
import type { HostPlans, PlanFamily } from './host-plans';
import { isHealthy, type TargetFamily, type TargetReport } from './reports';

/** One region's contribution to a host, as the planner takes it. */
export interface PlanRegion {
  readonly geoTag: GeoTag;
  readonly local: boolean;
  readonly targets: readonly TargetReport[];
  /** When the owner last confirmed the data (ignored for the local region). */
  readonly observedAtMs: number;
  readonly verdict: RegionVerdict;
}

export interface HostPlanInput {
  /** The effective spec: the host's strategy plus the region config's proximity. */
  readonly spec: StrategySpec;
  readonly localGeoTag: GeoTag;
  readonly regions: readonly PlanRegion[];
  readonly previous: HostPlans | undefined;
  readonly nowMs: number;
  readonly limits: StalenessLimits;
  readonly geo: CidrTable | undefined;
}

interface FamilyRule {
  readonly strategyFamily: AddressFamily;
  /** Which reported families go into this plan: NAME targets ride in the A plan (answered as CNAME). */
  readonly families: readonly TargetFamily[];
}

const FAMILY_RULES: Readonly<Record<PlanFamily, FamilyRule>> = {
  a: { strategyFamily: 4, families: ['ipv4', 'name'] },
  aaaa: { strategyFamily: 6, families: ['ipv6'] },
};

/**
 * The plans of one host, through libs/strategies, A and AAAA separately (health and failover
 * are judged per family). A family gets a plan when some region has targets of it, or when
 * `lastKnownGood` still holds a previous answer; otherwise there is nothing to answer (NODATA).
 * Pure; throws InvalidStrategyConfigError when the spec cannot be planned.
 */
export function planHost(input: HostPlanInput): HostPlans {
  const plans: { a?: AnswerPlan; aaaa?: AnswerPlan } = {};
  for (const family of ['a', 'aaaa'] as const) {
    const rule = FAMILY_RULES[family];
    const regions = input.regions.map((r) => ({
      geoTag: r.geoTag,
      local: r.local,
      observedAtMs: r.observedAtMs,
      verdict: r.verdict,
      targets: projectTargets(r.targets, rule),
    }));
    const previous = input.previous?.[family];
    const hasTargets = regions.some((r) => r.targets.length > 0);
    const keepsPrevious = previous !== undefined && !previous.empty && input.spec.whenAllUnhealthy === 'lastKnownGood';
    if (!hasTargets && !keepsPrevious) continue;
    plans[family] = computePlan({
      spec: input.spec,
      localGeoTag: input.localGeoTag,
      regions,
      nowMs: input.nowMs,
      limits: input.limits,
      family: rule.strategyFamily,
      ...(previous !== undefined ? { previous } : {}),
      ...(input.geo !== undefined ? { geo: input.geo } : {}),
    });
  }
  return plans;
}

/** Targets of the plan's families, in the strategy library's shape (a NAME target travels as family 4). */
function projectTargets(targets: readonly TargetReport[], rule: FamilyRule): RegionTarget[] {
  const out: RegionTarget[] = [];
  for (const t of targets) {
    if (rule.families.includes(t.family)) out.push({ address: t.address, family: rule.strategyFamily, healthy: isHealthy(t) });
  }
  return out;
}
