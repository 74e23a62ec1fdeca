import type { HeartbeatTarget, Observer } from '@meridian/witness-observers';
import type { Observation, ObservationResult, QuorumPolicy } from '@meridian/witness-quorum';

export const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
export const policy: QuorumPolicy = { observers: 3, quorum: 2, aliveAfterMs: 1_000, downAfterMs: 2_000, evidenceMaxAgeMs: 5_000 };

export function obs(observer: string, region: string, result: ObservationResult, at: number, answered = true): Observation {
  return { observer, kind: 'RESOLVER', region, result, reason: `${observer} says ${result}`, observedAt: at, heartbeatSequence: result === 'FRESH' ? 1 : 0, latencyMs: 4, observerAnswered: answered };
}

/** An observer whose answer per region the test sets; counts the rounds it was asked in. */
export class ScriptedObserver implements Observer {
  readonly kind = 'RESOLVER' as const;
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  results = new Map<string, ObservationResult>();
  delayMs = 0;

  constructor(
    readonly name: string,
    private readonly clock: () => number,
  ) {}

  async observe(targets: readonly HeartbeatTarget[]): Promise<Observation[]> {
    this.calls += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight -= 1;
    return targets.map((t) => obs(this.name, t.region, this.results.get(t.region) ?? 'FRESH', this.clock()));
  }
}
