import { credentials, type ClientReadableStream } from '@grpc/grpc-js';
import { HealthState, ProberServiceClient, type HostHealth, type SpecProblem, type WatchLocalTargetsResponse } from '@meridian/proto';

/**
 * A WatchLocalTargets subscriber for tests: applies the snapshot and each delta to a local
 * copy, as records or peer-sync would, and lets a test wait for a state with a timestamp of
 * when the message that produced it arrived.
 */
export class LocalTargetsWatcher {
  readonly hosts = new Map<string, HostHealth>();
  problems: SpecProblem[] = [];
  region = '';
  readonly received: { kind: string; at: number; version: number; hosts: string[] }[] = [];
  private readonly client: InstanceType<typeof ProberServiceClient>;
  private readonly call: ClientReadableStream<WatchLocalTargetsResponse>;
  private waiters: (() => void)[] = [];
  private lastAt = 0;
  ended = false;

  constructor(address: string) {
    this.client = new ProberServiceClient(address, credentials.createInsecure());
    this.call = this.client.watchLocalTargets({ clientId: 'test', epoch: '', sinceVersion: 0 });
    this.call.on('data', (res: WatchLocalTargetsResponse) => this.apply(res));
    this.call.on('error', () => ((this.ended = true), this.wake()));
    this.call.on('end', () => ((this.ended = true), this.wake()));
  }

  /** Resolves with the arrival time (ms) of the message after which `predicate` holds. */
  waitFor(predicate: (w: LocalTargetsWatcher) => boolean, what: string, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; hosts: ${JSON.stringify(this.summary())}; problems: ${JSON.stringify(this.problems)}`)), timeoutMs);
      timer.unref();
      const check = () => {
        if (predicate(this)) {
          clearTimeout(timer);
          resolve(this.lastAt);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** host → state of each target, for assertions and error messages. */
  summary(): Record<string, { health: string; targets: Record<string, string> }> {
    const out: Record<string, { health: string; targets: Record<string, string> }> = {};
    for (const [host, h] of [...this.hosts].sort()) {
      out[host] = {
        health: HealthState[h.serviceHealth],
        targets: Object.fromEntries(h.targets.map((t) => [t.target?.address ?? '?', HealthState[t.state]])),
      };
    }
    return out;
  }

  targetState(host: string, address: string): HealthState | undefined {
    return this.hosts.get(host)?.targets.find((t) => t.target?.address === address)?.state;
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }

  private apply(res: WatchLocalTargetsResponse): void {
    this.lastAt = Date.now();
    const event = res.event;
    if (event?.$case === 'snapshot') {
      this.hosts.clear();
      for (const h of event.snapshot.hosts) this.hosts.set(h.host, h);
      this.problems = event.snapshot.problems;
      this.region = event.snapshot.region;
      this.received.push({ kind: 'snapshot', at: this.lastAt, version: res.version, hosts: event.snapshot.hosts.map((h) => h.host) });
    } else if (event?.$case === 'delta') {
      for (const h of event.delta.upserted) this.hosts.set(h.host, h);
      for (const h of event.delta.removedHosts) this.hosts.delete(h);
      if (event.delta.problemsChanged) this.problems = event.delta.problems;
      this.received.push({ kind: 'delta', at: this.lastAt, version: res.version, hosts: event.delta.upserted.map((h) => h.host) });
    }
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
