import type { Verdict } from './rise-fall';

/** k8gb's serviceHealth values, plus `unspecified` for "not judged yet" (meridian.v1.HealthState). */
export type Health = 'healthy' | 'unhealthy' | 'notFound' | 'unspecified';

/**
 * A target's health: readiness must hold AND every active check must be up. A check that has
 * not reported yet leaves the target unspecified rather than guessing.
 */
export function targetHealth(readiness: Health, checks: readonly Verdict[]): Health {
  if (readiness === 'notFound') return 'notFound';
  if (readiness !== 'healthy') return 'unhealthy';
  if (checks.some((v) => v === 'down')) return 'unhealthy';
  if (checks.some((v) => v === 'unknown')) return 'unspecified';
  return 'healthy';
}

/**
 * A host's serviceHealth, k8gb's per-host value: its readiness, except that a host whose every
 * target fails its active checks is unhealthy too (what k8gb would have said had it probed).
 */
export function hostHealth(readiness: Health, targets: readonly Health[]): Health {
  if (readiness !== 'healthy' || targets.length === 0) return readiness;
  if (targets.some((t) => t === 'healthy')) return 'healthy';
  if (targets.every((t) => t === 'unspecified')) return 'unspecified';
  return 'unhealthy';
}
