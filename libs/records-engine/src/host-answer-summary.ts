import { answeredTargets } from './gslb-view';
import { plansOf, type HostPlans } from './host-plans';

/** What the per-host metrics say about a host's answer (see RecordsMetrics.setHostAnswer). */
export interface HostAnswerSummary {
  /**
   * A 32-bit FNV-1a digest of the answer: per family, the distinct variants as sorted address
   * sets, plus fail-open / empty. Two regions that agree on a host's answer have the same
   * digest, so a fleet-wide `max != min` per host is split brain ("regions disagree").
   * Rotations of one list (roundRobin) are one set, so per-query order never differs.
   */
  readonly digest: number;
  /** Healthy addresses answered (0 when failing open or empty), as in k8gb's healthyRecords. */
  readonly healthyTargets: number;
  /** Geotags whose targets appear in the answer. */
  readonly regionsUsed: readonly string[];
}

/** The canonical text the digest is computed from (exported for tests and Explain-like tools). */
export function canonicalAnswer(plans: HostPlans): string {
  return plansOf(plans)
    .map(({ family, plan }) => {
      const variants = [...new Set(plan.variants.map((v) => v.map((t) => t.address).sort().join(',')))].sort();
      return `${family}${plan.failOpen ? '!open' : ''}${plan.empty ? '!empty' : ''}=${variants.join('|')}`;
    })
    .join(';');
}

/** FNV-1a, 32 bits: stable across processes and exactly representable as a float64 sample. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function summarizeHostAnswer(plans: HostPlans): HostAnswerSummary {
  const regions = new Set<string>();
  for (const { plan } of plansOf(plans)) for (const d of plan.decisions) if (d.used) regions.add(d.geoTag);
  return { digest: fnv1a32(canonicalAnswer(plans)), healthyTargets: answeredTargets(plans).length, regionsUsed: [...regions].sort() };
}
