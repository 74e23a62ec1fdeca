import type { RegionRule } from './answer-plan';
import type { RegionInput } from './host-inputs';
import type { RegionVerdict } from './region-verdict';
import type { StalenessLimits } from './staleness-limits';

/** Whether a region's data may be used, and why: the split-brain rules. */
export interface RegionAdmission {
  readonly usable: boolean;
  readonly rule: RegionRule;
  readonly reason: string;
}

export interface AdmissionContext {
  readonly nowMs: number;
  readonly limits: StalenessLimits;
  /** Whether the previous plan used this region's data; undefined when it did not know it. */
  readonly previouslyUsable: boolean | undefined;
}

type SilentRule = (ageMs: number, context: AdmissionContext) => RegionAdmission;

/**
 * A silent region (its owner has not confirmed its data lately) is judged by the witness
 * verdict: only a quorum's DOWN triggers failover; ALIVE holds the last known targets;
 * UNKNOWN holds the last decision until the stale limit.
 */
const SILENT_RULES: Readonly<Record<RegionVerdict, SilentRule>> = {
  DOWN: (age) => ({
    usable: false,
    rule: 'dropped-down',
    reason: `silent for ${age} ms and the witness quorum says DOWN: dropped`,
  }),
  ALIVE: (age, { limits }) =>
    age <= limits.aliveHoldLimitMs
      ? {
          usable: true,
          rule: 'held-alive',
          reason: `silent for ${age} ms but the witness quorum says ALIVE: holding its last known targets (no premature failover; limit ${limits.aliveHoldLimitMs} ms)`,
        }
      : {
          usable: false,
          rule: 'dropped-alive-expired',
          reason: `silent for ${age} ms, beyond the ALIVE hold limit of ${limits.aliveHoldLimitMs} ms: dropped`,
        },
  UNKNOWN: (age, { limits, previouslyUsable }) => {
    if (previouslyUsable === false) {
      return {
        usable: false,
        rule: 'dropped-unknown-hysteresis',
        reason: `silent for ${age} ms, no quorum (UNKNOWN): the last decision holds, and it had dropped this region`,
      };
    }
    return age <= limits.staleLimitMs
      ? {
          usable: true,
          rule: 'held-unknown',
          reason: `silent for ${age} ms, no quorum (UNKNOWN): holding its last known targets until the stale limit of ${limits.staleLimitMs} ms`,
        }
      : {
          usable: false,
          rule: 'dropped-unknown-expired',
          reason: `silent for ${age} ms, no quorum (UNKNOWN), beyond the stale limit of ${limits.staleLimitMs} ms: dropped`,
        };
  },
};

/** Applies the split-brain rules to one region's data. */
export function admitRegion(region: RegionInput, context: AdmissionContext): RegionAdmission {
  if (region.local) {
    return { usable: true, rule: 'local', reason: 'local region: its own health' };
  }
  const ageMs = context.nowMs - region.observedAtMs;
  if (ageMs <= context.limits.freshForMs) {
    // Fresh data proves the region talks to us, whatever the witnesses last concluded.
    return { usable: true, rule: 'fresh', reason: `data ${ageMs} ms old (fresh): its self-reported health` };
  }
  return SILENT_RULES[region.verdict](ageMs, context);
}
