/**
 * The verdict of one active check: `unknown` until its first result, then `up` or `down`.
 * The first result decides at once (a new target is not held back rise × interval); after
 * that a verdict changes only after `rise` passes or `fall` failures in a row (hysteresis).
 */
export type Verdict = 'unknown' | 'up' | 'down';

export interface RiseFallState {
  verdict: Verdict;
  /** Passes in a row, ending with the latest result (0 when the latest failed). */
  passes: number;
  /** Failures in a row, ending with the latest result (0 when the latest passed). */
  failures: number;
}

export interface RiseFall {
  rise: number;
  fall: number;
}

export const INITIAL_RISE_FALL: RiseFallState = { verdict: 'unknown', passes: 0, failures: 0 };

/** The next state after one result. Pure. */
export function judge(state: RiseFallState, passed: boolean, limits: RiseFall): RiseFallState {
  const passes = passed ? state.passes + 1 : 0;
  const failures = passed ? 0 : state.failures + 1;
  let verdict = state.verdict;
  if (verdict === 'unknown') verdict = passed ? 'up' : 'down';
  else if (verdict === 'up' && failures >= limits.fall) verdict = 'down';
  else if (verdict === 'down' && passes >= limits.rise) verdict = 'up';
  return { verdict, passes, failures };
}

/** How many results in a row had the latest outcome (CheckResult.consecutive). */
export function consecutive(state: RiseFallState): number {
  return Math.max(state.passes, state.failures);
}
