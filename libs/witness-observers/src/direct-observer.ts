import type { DnsClient } from '@meridian/dns-wire';
import type { FreshnessPolicy, Observation } from '@meridian/witness-quorum';
import { lookupHeartbeat, type LookupOutcome } from './heartbeat-lookup';
import { HeartbeatReader } from './heartbeat-reader';
import { formatHostPort, type HostPort } from './host-port';
import type { Clock, HeartbeatTarget, Observer } from './observer';

export interface DirectObserverOptions {
  /** This region's geotag: the observer name peers see. */
  readonly name: string;
  /** Each region's own nameservers, asked directly (no recursion). */
  readonly nameservers: ReadonlyMap<string, readonly HostPort[]>;
  readonly clientFor: (server: HostPort) => DnsClient;
  readonly timeoutMs: number;
  readonly freshness: FreshnessPolicy;
  readonly clock: Clock;
}

/**
 * What this region itself sees: each region's heartbeat asked straight at that region's
 * nameservers from here. This is what `Observe` tells peer witnesses, for whom it is one
 * independent observer (a region in another failure domain). Regions without configured
 * nameservers are not observed.
 */
export class DirectObserver implements Observer {
  readonly kind = 'PEER_WITNESS' as const;
  readonly name: string;
  private readonly reader: HeartbeatReader;
  private readonly clients = new Map<string, DnsClient>();

  constructor(private readonly options: DirectObserverOptions) {
    this.name = options.name;
    this.reader = new HeartbeatReader(options.freshness);
  }

  async observe(targets: readonly HeartbeatTarget[]): Promise<Observation[]> {
    const observed = targets.filter((t) => (this.options.nameservers.get(t.region) ?? []).length > 0);
    return Promise.all(observed.map((t) => this.observeOne(t)));
  }

  private async observeOne(target: HeartbeatTarget): Promise<Observation> {
    const { clock, timeoutMs } = this.options;
    const servers = this.options.nameservers.get(target.region) ?? [];
    const outcomes = await Promise.all(servers.map((s) => lookupHeartbeat(this.client(s), target.name, { recursion: false, timeoutMs, now: clock })));
    const observedAt = clock();
    const base = { observer: this.name, kind: this.kind, region: target.region, observedAt, observerAnswered: true };
    const answer = outcomes.find((o): o is Extract<LookupOutcome, { kind: 'answer' }> => o.kind === 'answer');
    if (answer) {
      const reading = this.reader.read(target.region, answer.records, observedAt);
      return { ...base, result: reading.result, reason: reading.reason, heartbeatSequence: reading.sequence, latencyMs: Math.round(answer.latencyMs) };
    }
    const failures = outcomes.map((o, i) => `${formatHostPort(servers[i] as HostPort)} ${describeFailure(o)}`);
    return {
      ...base,
      result: 'FAILED',
      reason: `no heartbeat from ${target.region}'s nameservers: ${failures.join('; ')}`,
      heartbeatSequence: 0,
      latencyMs: Math.round(Math.max(...outcomes.map((o) => o.latencyMs))),
    };
  }

  private client(server: HostPort): DnsClient {
    const key = formatHostPort(server);
    let client = this.clients.get(key);
    if (!client) {
      client = this.options.clientFor(server);
      this.clients.set(key, client);
    }
    return client;
  }
}

function describeFailure(outcome: LookupOutcome): string {
  switch (outcome.kind) {
    case 'rcode':
      return outcome.rcode;
    case 'no-reply':
      return `no reply (${outcome.error})`;
    case 'answer':
      return 'answered';
  }
}
