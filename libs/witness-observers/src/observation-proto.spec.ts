import { ObservationResult, ObserverKind } from '@meridian/proto';
import type { Observation } from '@meridian/witness-quorum';
import { observationFromProto, observationToProto } from './observation-proto';

const observation: Observation = {
  observer: '192.0.2.53:53',
  kind: 'RESOLVER',
  region: 'eu',
  result: 'STALE',
  reason: 'sequence 5 has not moved for 12.0 s (limit 10.0 s)',
  observedAt: Date.UTC(2026, 10, 21, 12, 0, 0),
  heartbeatSequence: 5,
  latencyMs: 3.4,
  observerAnswered: true,
};

describe('observation converters', () => {
  it('round-trips through the contract', () => {
    const proto = observationToProto(observation);
    expect(proto).toMatchObject({ kind: ObserverKind.OBSERVER_KIND_RESOLVER, result: ObservationResult.OBSERVATION_RESULT_STALE, latencyMs: 3 });
    expect(observationFromProto(proto)).toEqual({ ...observation, latencyMs: 3 });
  });

  it('reads an unknown result from a newer peer as FAILED, never as a sign of life', () => {
    const proto = { ...observationToProto(observation), result: ObservationResult.UNRECOGNIZED };
    expect(observationFromProto(proto).result).toBe('FAILED');
  });
});
