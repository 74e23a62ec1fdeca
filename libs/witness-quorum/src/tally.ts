import type { Observation } from './observation';

/** How one piece of evidence counts toward the quorum. */
export type EvidenceRole = 'reachable' | 'unreachable' | 'abstains';

export interface Tally {
  readonly reachable: number;
  readonly unreachable: number;
  readonly abstained: number;
  /** The latest observation of each observer, oldest observer name first. */
  readonly evidence: readonly Observation[];
}

/**
 * How an observation counts: FRESH sees the region; STALE or FAILED from an observer that
 * answered reports it unreachable (no recent proof of life); an observer that did not
 * answer, or evidence older than `maxAgeMs`, abstains.
 */
export function evidenceRole(observation: Observation, nowMs: number, maxAgeMs: number): EvidenceRole {
  if (nowMs - observation.observedAt > maxAgeMs) return 'abstains';
  if (observation.result === 'FRESH') return 'reachable';
  return observation.observerAnswered ? 'unreachable' : 'abstains';
}

/** Counts the latest observation of each observer. */
export function tallyEvidence(observations: readonly Observation[], nowMs: number, maxAgeMs: number): Tally {
  const latest = new Map<string, Observation>();
  for (const o of observations) {
    const seen = latest.get(o.observer);
    if (!seen || o.observedAt >= seen.observedAt) latest.set(o.observer, o);
  }
  const evidence = [...latest.values()].sort((a, b) => (a.observer < b.observer ? -1 : a.observer > b.observer ? 1 : 0));
  let reachable = 0;
  let unreachable = 0;
  let abstained = 0;
  for (const o of evidence) {
    const role = evidenceRole(o, nowMs, maxAgeMs);
    if (role === 'reachable') reachable += 1;
    else if (role === 'unreachable') unreachable += 1;
    else abstained += 1;
  }
  return { reachable, unreachable, abstained, evidence };
}
