import { credentials } from '@grpc/grpc-js';
import { ObserverKind, VerdictState, WitnessServiceClient, type RegionVerdict, type WatchVerdictsResponse } from '@meridian/proto';

export type StateName = 'ALIVE' | 'DOWN' | 'UNKNOWN' | 'UNSPECIFIED';

export function stateName(state: VerdictState): StateName {
  return (VerdictState[state] ?? 'UNSPECIFIED').replace('VERDICT_STATE_', '') as StateName;
}

export function kindName(kind: ObserverKind): string {
  return (ObserverKind[kind] ?? 'UNSPECIFIED').replace('OBSERVER_KIND_', '');
}

/** A short view of a verdict for assertions and failure messages. */
export function summary(v: RegionVerdict | undefined): Record<string, unknown> | undefined {
  if (!v) return undefined;
  return {
    region: v.region,
    state: stateName(v.state),
    lastDecided: stateName(v.lastDecided),
    reachable: v.reachable,
    unreachable: v.unreachable,
    quorum: v.quorum,
    observers: v.observers,
    evidence: v.evidence.map((o) => `${o.observer} ${kindName(o.kind)} ${o.result} ${o.reason}`),
  };
}

/** A WatchVerdicts subscriber that keeps the latest verdict per region, as `records` will. */
export class VerdictWatch {
  readonly latest = new Map<string, RegionVerdict>();
  readonly messages: WatchVerdictsResponse[] = [];
  private readonly client: WitnessServiceClient;
  private readonly stream;
  private readonly listeners = new Set<() => void>();

  constructor(address: string) {
    this.client = new WitnessServiceClient(address, credentials.createInsecure());
    this.stream = this.client.watchVerdicts({ clientId: 'witness-test', epoch: '', sinceVersion: 0 });
    this.stream.on('data', (m: WatchVerdictsResponse) => {
      this.messages.push(m);
      if (m.event?.$case === 'snapshot') {
        this.latest.clear();
        for (const v of m.event.snapshot.verdicts) this.latest.set(v.region, v);
      } else if (m.event?.$case === 'delta') {
        for (const v of m.event.delta.changed) this.latest.set(v.region, v);
      }
      for (const wake of [...this.listeners]) wake();
    });
    this.stream.on('error', () => undefined);
  }

  /** Waits until the region's verdict satisfies `test`; returns it and how long it took. */
  waitFor(region: string, test: (v: RegionVerdict) => boolean, timeoutMs: number): Promise<{ verdict: RegionVerdict; ms: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = this.latest.get(region);
        if (v && test(v)) {
          cleanup();
          resolve({ verdict: v, ms: Date.now() - started });
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`verdict on ${region} not reached within ${timeoutMs} ms; latest: ${JSON.stringify(summary(this.latest.get(region)), null, 2)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The states the region went through, in order, from every snapshot and delta received. */
  history(region: string): string[] {
    const states: string[] = [];
    for (const m of this.messages) {
      const verdicts = m.event?.$case === 'snapshot' ? m.event.snapshot.verdicts : m.event?.$case === 'delta' ? m.event.delta.changed : [];
      for (const v of verdicts) if (v.region === region) states.push(`${stateName(v.state)}/${stateName(v.lastDecided)}`);
    }
    return states.filter((s, i) => s !== states[i - 1]);
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

export const is =
  (state: StateName, lastDecided?: StateName) =>
  (v: RegionVerdict): boolean =>
    stateName(v.state) === state && (lastDecided === undefined || stateName(v.lastDecided) === lastDecided);
