import type { AnswerPlan, RegionDecision } from './answer-plan';
import type { HostInputs, RegionInput } from './host-inputs';
import { admitRegion, type RegionAdmission } from './region-admission';
import { DEFAULT_STALENESS_LIMITS } from './staleness-limits';
import type { Strategy, StrategyContext, UsableRegion } from './strategy';
import { throwIfInvalid } from './strategy-config-error';
import { createDefaultStrategyRegistry, type StrategyRegistry } from './strategy-registry';
import type { AddressFamily, GeoTag } from './target';
import { validateHostInputs } from './validate-host-inputs';
import { validateStrategySpec } from './validate-strategy-spec';
import { WHEN_ALL_UNHEALTHY, type FallbackAnswer } from './when-all-unhealthy';

const DEFAULT_REGISTRY = createDefaultStrategyRegistry();

/**
 * The answer plan of one host: which targets, in which precomputed variants, and how `dns`
 * picks one per query. Pure: the clock is `inputs.nowMs`, and randomness is only used later,
 * per query, by selectVariant. Throws an InvalidStrategyConfigError listing every problem
 * when the spec or the inputs are invalid.
 */
export function computePlan(inputs: HostInputs, registry: StrategyRegistry = DEFAULT_REGISTRY): AnswerPlan {
  throwIfInvalid([...validateStrategySpec(inputs.spec, { registry }), ...validateHostInputs(inputs)], 'host inputs');
  const strategy = registry.resolve(inputs.spec);
  const limits = inputs.limits ?? DEFAULT_STALENESS_LIMITS;
  const previouslyUsable = new Map(inputs.previous?.decisions.map((d) => [d.geoTag, d.usable]));

  // Code-unit order, the same in every region whatever its locale (geotags are unique).
  const regions = [...inputs.regions].sort((a, b) => (a.geoTag < b.geoTag ? -1 : 1));
  const admitted = regions.map((region) => ({
    region,
    admission: admitRegion(region, { nowMs: inputs.nowMs, limits, previouslyUsable: previouslyUsable.get(region.geoTag) }),
  }));
  const usable = admitted.filter((a) => a.admission.usable).map((a) => toUsableRegion(a.region, inputs.family));

  const context: StrategyContext = {
    spec: inputs.spec,
    regions: usable,
    knownGeoTags: regions.map((r) => r.geoTag),
    ...(inputs.geo === undefined ? {} : { geo: inputs.geo }),
  };
  const answer = planOrFallBack(strategy, context, inputs.previous);
  const byTag = new Map(usable.map((r) => [r.geoTag, r]));
  return {
    strategy: strategy.kind,
    ttlSeconds: inputs.spec.dnsTtlSeconds,
    variants: answer.variants,
    // One variant needs no per-query work (and no ECS scope).
    selector: answer.variants.length === 1 ? { kind: 'single' } : answer.selector,
    failOpen: answer.failOpen,
    empty: answer.empty,
    fallback: answer.fallback,
    decisions: admitted.map(({ region, admission }) => decide(region.geoTag, admission, byTag.get(region.geoTag), answer.used, strategy)),
  };
}

function planOrFallBack(strategy: Strategy, context: StrategyContext, previous: AnswerPlan | undefined): FallbackAnswer & { fallback: AnswerPlan['fallback'] } {
  const outcome = strategy.plan(context);
  if (outcome !== null) return { ...outcome, failOpen: false, empty: false, fallback: 'none' };
  const mode = context.spec.whenAllUnhealthy;
  return { ...WHEN_ALL_UNHEALTHY[mode]({ regions: context.regions, previous }), fallback: mode };
}

function toUsableRegion(region: RegionInput, family: AddressFamily | undefined): UsableRegion {
  const targets = family === undefined ? region.targets : region.targets.filter((t) => t.family === family);
  return {
    geoTag: region.geoTag,
    local: region.local,
    targets,
    healthy: targets.filter((t) => t.healthy).map(({ address, family: f }) => ({ address, family: f })),
  };
}

function decide(
  geoTag: GeoTag,
  admission: RegionAdmission,
  region: UsableRegion | undefined,
  used: ReadonlySet<GeoTag>,
  strategy: Strategy,
): RegionDecision {
  const inAnswer = used.has(geoTag);
  return {
    geoTag,
    usable: admission.usable,
    used: inAnswer,
    rule: admission.rule,
    reason: `${admission.reason}; ${usage(region, inAnswer, strategy)}`,
  };
}

function usage(region: UsableRegion | undefined, inAnswer: boolean, strategy: Strategy): string {
  if (region === undefined) return inAnswer ? 'still in the last known good answer' : 'not in the answer';
  const health = `${region.healthy.length}/${region.targets.length} targets healthy`;
  if (inAnswer) return `${health}; in the answer`;
  if (region.healthy.length === 0) return `${health}; not in the answer`;
  return `${health}; not in the answer: ${strategy.kind} chose other regions`;
}
