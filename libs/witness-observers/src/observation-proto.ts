import {
  ObservationResult as ProtoResult,
  ObserverKind as ProtoKind,
  type Observation as ProtoObservation,
} from '@meridian/proto';
import type { Observation, ObservationResult, ObserverKind } from '@meridian/witness-quorum';

const RESULT_TO_PROTO: Record<ObservationResult, ProtoResult> = {
  FRESH: ProtoResult.OBSERVATION_RESULT_FRESH,
  STALE: ProtoResult.OBSERVATION_RESULT_STALE,
  FAILED: ProtoResult.OBSERVATION_RESULT_FAILED,
};

const KIND_TO_PROTO: Record<ObserverKind, ProtoKind> = {
  RESOLVER: ProtoKind.OBSERVER_KIND_RESOLVER,
  PEER_WITNESS: ProtoKind.OBSERVER_KIND_PEER_WITNESS,
};

export function observationToProto(o: Observation): ProtoObservation {
  return {
    observer: o.observer,
    kind: KIND_TO_PROTO[o.kind],
    region: o.region,
    result: RESULT_TO_PROTO[o.result],
    reason: o.reason,
    observedAt: new Date(o.observedAt),
    heartbeatSequence: o.heartbeatSequence,
    latencyMs: Math.max(0, Math.round(o.latencyMs)),
  };
}

/**
 * A peer's observation as evidence. It answered, so its view counts; an unknown result (a
 * newer peer) counts as FAILED, which never makes a region look alive.
 */
export function observationFromProto(o: ProtoObservation): Observation {
  const result: ObservationResult =
    o.result === ProtoResult.OBSERVATION_RESULT_FRESH ? 'FRESH' : o.result === ProtoResult.OBSERVATION_RESULT_STALE ? 'STALE' : 'FAILED';
  return {
    observer: o.observer,
    kind: o.kind === ProtoKind.OBSERVER_KIND_RESOLVER ? 'RESOLVER' : 'PEER_WITNESS',
    region: o.region,
    result,
    reason: o.reason,
    observedAt: o.observedAt?.getTime() ?? 0,
    heartbeatSequence: o.heartbeatSequence,
    latencyMs: o.latencyMs,
    observerAnswered: true,
  };
}
