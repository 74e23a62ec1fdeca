import type { ExplainResponse } from '@meridian/proto';
import type { Explanation } from './explain-host';
import { hostSpecToProto, plannedTargetToProto, problemToProto, targetReportToProto, verdictToProto } from './to-proto';

/** An explanation on the wire. */
export function explanationToProto(e: Explanation): ExplainResponse {
  return {
    host: e.host,
    zone: e.zone,
    spec: e.spec === undefined ? undefined : hostSpecToProto(e.spec),
    regions: e.regions.map((r) => ({
      region: r.region,
      local: r.local,
      used: r.used,
      reason: r.reason,
      verdict: verdictToProto(r.verdict),
      targets: r.targets.map(targetReportToProto),
      observedAt: r.observedAtMs > 0 ? new Date(r.observedAtMs) : undefined,
    })),
    answer: e.answer.map(plannedTargetToProto),
    ttlSeconds: e.ttlSeconds,
    ecsScope: e.ecsScope,
    failOpen: e.failOpen,
    summary: e.summary,
    zoneVersion: e.zoneVersion,
    problems: e.problems.map(problemToProto),
  };
}
