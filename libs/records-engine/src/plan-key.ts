import { isHealthy, type HostReport } from './reports';

const PLAN_KEYS = new WeakMap<HostReport, string>();

/**
 * What of a report the answers depend on: the spec, each target's address, family and
 * health, and the host's serviceHealth (for Gslb status). Probe details (latency, times)
 * change every probe and are left out, so they never cause a recomputation. Computed once per
 * report.
 */
export function planKey(report: HostReport): string {
  let key = PLAN_KEYS.get(report);
  if (key === undefined) PLAN_KEYS.set(report, (key = computePlanKey(report)));
  return key;
}

function computePlanKey(report: HostReport): string {
  const spec = report.spec === undefined ? '-' : `${report.spec.gslb} ${JSON.stringify(report.spec.strategy ?? report.spec.problem ?? null)}`;
  const targets = report.targets.map((t) => `${t.family}:${t.address}:${isHealthy(t) ? 1 : 0}`).join(',');
  return `${spec}|${report.serviceHealth}|${targets}`;
}

/** Whether replacing `before` with `after` can change an answer. */
export function changesAnswers(before: HostReport | undefined, after: HostReport): boolean {
  return before === undefined || planKey(before) !== planKey(after);
}
