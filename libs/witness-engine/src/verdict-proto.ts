import { VerdictState as ProtoState, type RegionVerdict as ProtoVerdict } from '@meridian/proto';
import { observationToProto } from '@meridian/witness-observers';
import type { RegionVerdict, VerdictState } from '@meridian/witness-quorum';

const STATE_TO_PROTO: Record<VerdictState, ProtoState> = {
  ALIVE: ProtoState.VERDICT_STATE_ALIVE,
  DOWN: ProtoState.VERDICT_STATE_DOWN,
  UNKNOWN: ProtoState.VERDICT_STATE_UNKNOWN,
};

export function verdictStateToProto(state: VerdictState): ProtoState {
  return STATE_TO_PROTO[state];
}

export function verdictToProto(v: RegionVerdict): ProtoVerdict {
  return {
    region: v.region,
    state: STATE_TO_PROTO[v.state],
    lastDecided: STATE_TO_PROTO[v.lastDecided],
    quorum: v.quorum,
    observers: v.observers,
    reachable: v.reachable,
    unreachable: v.unreachable,
    evidence: v.evidence.map(observationToProto),
    decidedAt: v.decidedAt === undefined ? undefined : new Date(v.decidedAt),
    updatedAt: new Date(v.updatedAt),
  };
}
