import type { Strategy } from './strategy';
import { distinctTargets, rotations } from './target-lists';

/** k8gb roundRobin: every healthy target of every usable region; the order rotates per query. */
export const roundRobinStrategy: Strategy = {
  kind: 'roundRobin',
  plan({ regions }) {
    const answering = regions.filter((r) => r.healthy.length > 0);
    if (answering.length === 0) return null;
    return {
      ...rotations(distinctTargets(answering.flatMap((r) => r.healthy))),
      used: new Set(answering.map((r) => r.geoTag)),
    };
  },
};
