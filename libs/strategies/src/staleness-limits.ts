import { StrategyConfigError } from './strategy-config-error';

/** How long remote region data is trusted once its owner stops confirming it. */
export interface StalenessLimits {
  /** Remote data older than this is "silent": its owner has not confirmed it lately. */
  readonly freshForMs: number;
  /** A silent region whose verdict is not ALIVE is dropped after this. */
  readonly staleLimitMs: number;
  /** Even an ALIVE-but-silent region is dropped after this: the quorum may see a region whose data path is broken. */
  readonly aliveHoldLimitMs: number;
}

export const DEFAULT_STALENESS_LIMITS: StalenessLimits = Object.freeze({
  freshForMs: 3_000,
  staleLimitMs: 300_000,
  aliveHoldLimitMs: 900_000,
});

/** Every problem with a set of limits (non-negative, and fresh ≤ stale ≤ alive hold). */
export function validateStalenessLimits(limits: StalenessLimits, path = 'limits'): StrategyConfigError[] {
  const errors: StrategyConfigError[] = [];
  const fields = ['freshForMs', 'staleLimitMs', 'aliveHoldLimitMs'] as const;
  for (const field of fields) {
    const value = limits[field];
    if (!Number.isFinite(value) || value < 0) {
      errors.push(
        new StrategyConfigError(`${path}.${field}`, value, 'must be a finite number of milliseconds ≥ 0', `set it to e.g. ${DEFAULT_STALENESS_LIMITS[field]}`),
      );
    }
  }
  if (errors.length > 0) return errors;
  if (limits.freshForMs > limits.staleLimitMs) {
    errors.push(
      new StrategyConfigError(`${path}.staleLimitMs`, limits.staleLimitMs, `must be ≥ freshForMs (${limits.freshForMs})`, 'raise staleLimitMs or lower freshForMs'),
    );
  }
  if (limits.staleLimitMs > limits.aliveHoldLimitMs) {
    errors.push(
      new StrategyConfigError(
        `${path}.aliveHoldLimitMs`,
        limits.aliveHoldLimitMs,
        `must be ≥ staleLimitMs (${limits.staleLimitMs}): ALIVE is stronger evidence than UNKNOWN`,
        'raise aliveHoldLimitMs or lower staleLimitMs',
      ),
    );
  }
  return errors;
}
