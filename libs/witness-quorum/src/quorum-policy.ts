/** How many observers must agree, and how long a change must hold before it is decided. */
export interface QuorumPolicy {
  /** N: observers configured. */
  readonly observers: number;
  /** M: observers that must agree for ALIVE or DOWN. A majority, so both cannot be reached at once. */
  readonly quorum: number;
  /** How long a quorum for ALIVE must hold before a DOWN region is decided ALIVE again. */
  readonly aliveAfterMs: number;
  /** How long a quorum for DOWN must hold before an ALIVE region is decided DOWN. */
  readonly downAfterMs: number;
  /** Evidence older than this (by `observedAt`) abstains: the observer has gone quiet. */
  readonly evidenceMaxAgeMs: number;
}

/** The default M for N observers: a strict majority. */
export function majority(observers: number): number {
  return Math.floor(observers / 2) + 1;
}

/**
 * What is wrong with an (N, M) pair, as sentences that name the fix; empty when it is valid.
 * M must be a strict majority of N and at most N, or ALIVE and DOWN could both be reached
 * (or neither ever).
 */
export function quorumProblems(observers: number, quorum: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(observers) || observers < 1) {
    problems.push(`${observers} observers: configure at least one resolver or peer witness`);
    return problems;
  }
  if (!Number.isInteger(quorum) || quorum > observers) {
    problems.push(`quorum ${quorum} cannot be reached with ${observers} observers: use at most ${observers}`);
  } else if (quorum <= observers / 2) {
    problems.push(
      `quorum ${quorum} of ${observers} is not a majority, so ALIVE and DOWN could both be reached: use at least ${majority(observers)}`,
    );
  }
  return problems;
}
