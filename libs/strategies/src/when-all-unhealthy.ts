import type { AnswerPlan, VariantSelector } from './answer-plan';
import type { UsableRegion } from './strategy';
import type { WhenAllUnhealthy } from './strategy-spec';
import { distinctTargets, rotations } from './target-lists';
import type { GeoTag, Target } from './target';

export interface FallbackContext {
  /** Usable regions (none has a healthy target the strategy could use). */
  readonly regions: readonly UsableRegion[];
  readonly previous: AnswerPlan | undefined;
}

export interface FallbackAnswer {
  readonly variants: Target[][];
  readonly selector: VariantSelector;
  readonly failOpen: boolean;
  readonly empty: boolean;
  readonly used: ReadonlySet<GeoTag>;
}

export type FallbackPolicy = (context: FallbackContext) => FallbackAnswer;

function emptyAnswer(): FallbackAnswer {
  return { variants: [[]], selector: { kind: 'single' }, failOpen: false, empty: true, used: new Set() };
}

/** What a record answers when nothing is healthy, per `whenAllUnhealthy`. */
export const WHEN_ALL_UNHEALTHY: Readonly<Record<WhenAllUnhealthy, FallbackPolicy>> = {
  // Every target of every usable region (DOWN and expired regions stay out), rotated.
  failOpen: ({ regions }) => {
    const withTargets = regions.filter((r) => r.targets.length > 0);
    if (withTargets.length === 0) return emptyAnswer();
    return {
      ...rotations(distinctTargets(withTargets.flatMap((r) => r.targets))),
      failOpen: true,
      empty: false,
      used: new Set(withTargets.map((r) => r.geoTag)),
    };
  },
  // NODATA, as k8gb does.
  empty: emptyAnswer,
  // The previous plan's answers, as they were (NODATA if there is none yet).
  lastKnownGood: ({ previous }) => {
    if (previous === undefined || previous.empty) return emptyAnswer();
    return {
      variants: previous.variants,
      selector: previous.selector,
      failOpen: previous.failOpen,
      empty: false,
      used: new Set(previous.decisions.filter((d) => d.used).map((d) => d.geoTag)),
    };
  },
};
