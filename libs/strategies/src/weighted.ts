import type { Strategy, UsableRegion } from './strategy';
import type { WeightedMode } from './strategy-spec';
import { distinctTargets } from './target-lists';
import type { Target } from './target';

interface AnswerShape {
  answer(chosen: UsableRegion, byWeight: readonly UsableRegion[]): Target[];
  /** The regions whose targets end up in some variant. */
  used(pool: readonly UsableRegion[], answering: readonly UsableRegion[]): readonly UsableRegion[];
}

/** How the answer looks once a region is drawn. */
const ANSWER_SHAPES: Readonly<Record<WeightedMode, AnswerShape>> = {
  // k8gb: every healthy target, the drawn region's first, then heavier regions first.
  reorderAll: {
    answer: (chosen, byWeight) => distinctTargets([chosen, ...byWeight.filter((r) => r !== chosen)].flatMap((r) => r.healthy)),
    used: (_pool, answering) => answering,
  },
  // Route 53: only the drawn region's targets.
  chosenOnly: {
    answer: (chosen) => distinctTargets(chosen.healthy),
    used: (pool) => pool,
  },
};

/**
 * k8gb weighted roundRobin: the first answer comes from a region drawn with probability
 * ∝ its weight. Weight 0 (or no weight) is a last resort: such regions share equally, and
 * only when no region with weight > 0 has a healthy target.
 */
export const weightedRoundRobinStrategy: Strategy = {
  kind: 'weightedRoundRobin',
  plan({ spec, regions }) {
    const weights = spec.weight ?? {};
    const weightOf = (r: UsableRegion): number => weights[r.geoTag] ?? 0;
    const answering = regions.filter((r) => r.healthy.length > 0);
    if (answering.length === 0) return null;
    const weighted = answering.filter((r) => weightOf(r) > 0);
    const lastResort = weighted.length === 0;
    const pool = lastResort ? answering : weighted;
    // Stable sort: equal weights keep geotag order.
    const byWeight = [...answering].sort((a, b) => weightOf(b) - weightOf(a));
    const shape = ANSWER_SHAPES[spec.weightedMode ?? 'reorderAll'];
    return {
      variants: pool.map((chosen) => shape.answer(chosen, byWeight)),
      selector: { kind: 'weighted', weights: pool.map((r) => (lastResort ? 1 : weightOf(r))) },
      used: new Set(shape.used(pool, answering).map((r) => r.geoTag)),
    };
  },
};
