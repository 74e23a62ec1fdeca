import type { Observation, VerdictState } from './observation';
import type { QuorumPolicy } from './quorum-policy';
import { tallyEvidence, type Tally } from './tally';

/** A change the quorum asks for, waiting out its hysteresis. */
export interface PendingChange {
  readonly state: 'ALIVE' | 'DOWN';
  readonly since: number;
}

/** The quorum decision on one region, with the evidence behind it. Times in ms since the epoch. */
export interface RegionVerdict {
  readonly region: string;
  /** ALIVE or DOWN while a quorum agrees with the last decision; UNKNOWN without a quorum. */
  readonly state: VerdictState;
  /** The last ALIVE or DOWN decision, which holds while `state` is UNKNOWN; UNKNOWN until the first. */
  readonly lastDecided: VerdictState;
  readonly quorum: number;
  readonly observers: number;
  readonly reachable: number;
  readonly unreachable: number;
  readonly evidence: readonly Observation[];
  /** When `lastDecided` last changed; undefined before the first decision. */
  readonly decidedAt: number | undefined;
  readonly updatedAt: number;
  readonly pending: PendingChange | undefined;
}

/** A change of `state` or `lastDecided`, with what caused it. */
export interface VerdictChange {
  readonly region: string;
  readonly from: { readonly state: VerdictState; readonly lastDecided: VerdictState };
  readonly to: { readonly state: VerdictState; readonly lastDecided: VerdictState };
  readonly at: number;
  readonly reason: string;
  readonly evidence: readonly Observation[];
}

export interface Decision {
  readonly verdict: RegionVerdict;
  /** Set when `state` or `lastDecided` changed. */
  readonly change: VerdictChange | undefined;
  /** Set when a quorum for a change appeared in this evaluation and now waits out its hysteresis. */
  readonly pendingStarted: PendingChange | undefined;
  /** Why the verdict is what it is, in one sentence. */
  readonly reason: string;
}

/** A region nobody has judged yet: UNKNOWN, never decided. */
export function initialVerdict(region: string, policy: QuorumPolicy, nowMs: number): RegionVerdict {
  return {
    region,
    state: 'UNKNOWN',
    lastDecided: 'UNKNOWN',
    quorum: policy.quorum,
    observers: policy.observers,
    reachable: 0,
    unreachable: 0,
    evidence: [],
    decidedAt: undefined,
    updatedAt: nowMs,
    pending: undefined,
  };
}

/**
 * Judges a region from the latest observation of each observer:
 * - ALIVE when at least M observers see its heartbeat, DOWN when at least M report it
 *   unreachable, otherwise UNKNOWN with the last decision holding;
 * - the first decision is taken at once (there is nothing to protect yet); any later change
 *   of decision must be asked for by a quorum continuously for `downAfterMs` (to DOWN) or
 *   `aliveAfterMs` (back to ALIVE). Meanwhile the published state does not move, so a blip
 *   shorter than the hysteresis is invisible downstream.
 */
export function decideVerdict(previous: RegionVerdict, observations: readonly Observation[], nowMs: number, policy: QuorumPolicy): Decision {
  const tally = tallyEvidence(observations, nowMs, policy.evidenceMaxAgeMs);
  const candidate = quorumCandidate(tally, policy.quorum);
  const base = {
    region: previous.region,
    quorum: policy.quorum,
    observers: policy.observers,
    reachable: tally.reachable,
    unreachable: tally.unreachable,
    evidence: tally.evidence,
    updatedAt: nowMs,
  };
  let next: RegionVerdict;
  let pendingStarted: PendingChange | undefined;
  let reason: string;

  if (candidate === undefined) {
    next = { ...base, state: 'UNKNOWN', lastDecided: previous.lastDecided, decidedAt: previous.decidedAt, pending: undefined };
    reason = noQuorumReason(previous.region, tally, policy, previous.lastDecided);
  } else if (candidate === previous.lastDecided) {
    next = { ...base, state: candidate, lastDecided: candidate, decidedAt: previous.decidedAt, pending: undefined };
    reason = quorumReason(previous.region, candidate, tally, policy);
  } else if (previous.lastDecided === 'UNKNOWN') {
    next = { ...base, state: candidate, lastDecided: candidate, decidedAt: nowMs, pending: undefined };
    reason = `${quorumReason(previous.region, candidate, tally, policy)}; first decision`;
  } else {
    const holdMs = candidate === 'DOWN' ? policy.downAfterMs : policy.aliveAfterMs;
    const pending = previous.pending?.state === candidate ? previous.pending : { state: candidate, since: nowMs };
    const heldMs = nowMs - pending.since;
    if (heldMs >= holdMs) {
      next = { ...base, state: candidate, lastDecided: candidate, decidedAt: nowMs, pending: undefined };
      reason = `${quorumReason(previous.region, candidate, tally, policy)}, held for ${heldMs} ms (hysteresis ${holdMs} ms)`;
    } else {
      next = { ...base, state: previous.state, lastDecided: previous.lastDecided, decidedAt: previous.decidedAt, pending };
      if (pending !== previous.pending) pendingStarted = pending;
      reason =
        `${quorumReason(previous.region, candidate, tally, policy)}, for ${heldMs} ms of the ${holdMs} ms hysteresis: ` +
        `${previous.lastDecided} holds until then`;
    }
  }

  const changed = next.state !== previous.state || next.lastDecided !== previous.lastDecided;
  const change: VerdictChange | undefined = changed
    ? {
        region: previous.region,
        from: { state: previous.state, lastDecided: previous.lastDecided },
        to: { state: next.state, lastDecided: next.lastDecided },
        at: nowMs,
        reason,
        evidence: tally.evidence,
      }
    : undefined;
  return { verdict: next, change, pendingStarted, reason };
}

function quorumCandidate(tally: Tally, quorum: number): 'ALIVE' | 'DOWN' | undefined {
  if (tally.reachable >= quorum) return 'ALIVE';
  if (tally.unreachable >= quorum) return 'DOWN';
  return undefined;
}

function quorumReason(region: string, candidate: 'ALIVE' | 'DOWN', tally: Tally, policy: QuorumPolicy): string {
  return candidate === 'ALIVE'
    ? `${tally.reachable} of ${policy.observers} observers see ${region}'s heartbeat (quorum ${policy.quorum})`
    : `${tally.unreachable} of ${policy.observers} observers report ${region} unreachable (quorum ${policy.quorum})`;
}

function noQuorumReason(region: string, tally: Tally, policy: QuorumPolicy, lastDecided: VerdictState): string {
  const abstaining = Math.max(0, policy.observers - tally.reachable - tally.unreachable);
  const holds = lastDecided === 'UNKNOWN' ? 'no decision yet' : `${lastDecided} holds`;
  return (
    `no quorum on ${region}: ${tally.reachable} see its heartbeat, ${tally.unreachable} report it unreachable, ` +
    `${abstaining} abstain (quorum ${policy.quorum} of ${policy.observers}); ${holds}`
  );
}
