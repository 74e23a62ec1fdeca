import { RRClass, RRType, type DnsClient } from '@meridian/dns-wire';
import type { FreshnessPolicy, Observation } from '@meridian/witness-quorum';
import { lookupHeartbeat, type LookupOutcome } from './heartbeat-lookup';
import { HeartbeatReader } from './heartbeat-reader';
import type { Clock, HeartbeatTarget, Observer } from './observer';

/** A question any resolver answers at once, asked beside the heartbeats to tell "slow" from "unreachable". */
export interface LivenessQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

/** `id.server CH TXT` (RFC 4892): Unbound and BIND answer it locally; any reply, even REFUSED, will do. */
export const DEFAULT_LIVENESS_QUESTION: LivenessQuestion = { name: 'id.server', type: RRType.TXT, class: RRClass.CH };

export interface ResolverObserverOptions {
  /** `host:port`, the observer's name in evidence and metrics. */
  readonly name: string;
  readonly client: DnsClient;
  readonly timeoutMs: number;
  readonly freshness: FreshnessPolicy;
  readonly clock: Clock;
  readonly liveness?: LivenessQuestion;
}

/** Replies that say the resolver will not work for us: its view is no evidence either way. */
const OBSERVER_PROBLEMS = new Set(['REFUSED', 'NOTIMP', 'FORMERR']);

/**
 * A recursive resolver in another failure domain, asked to resolve each region's heartbeat
 * through the public delegation: a fresh answer proves the region's own DNS is reachable
 * from there. A resolver that does not reply at all (not even to the liveness question) has
 * no view, so it abstains; one that replies but cannot get the heartbeat (SERVFAIL, NXDOMAIN,
 * a timeout on the heartbeat alone) reports the region unreachable.
 */
export class ResolverObserver implements Observer {
  readonly kind = 'RESOLVER' as const;
  readonly name: string;
  private readonly reader: HeartbeatReader;

  constructor(private readonly options: ResolverObserverOptions) {
    this.name = options.name;
    this.reader = new HeartbeatReader(options.freshness);
  }

  async observe(targets: readonly HeartbeatTarget[]): Promise<Observation[]> {
    const { client, timeoutMs, clock } = this.options;
    const liveness = this.options.liveness ?? DEFAULT_LIVENESS_QUESTION;
    const [probe, ...outcomes] = await Promise.all([
      lookupHeartbeat(client, liveness.name, { recursion: false, timeoutMs, type: liveness.type, class: liveness.class, now: clock }),
      ...targets.map((t) => lookupHeartbeat(client, t.name, { recursion: true, timeoutMs, now: clock })),
    ]);
    const resolverAnswered = [probe, ...outcomes].some((o) => o?.kind !== 'no-reply');
    const observedAt = clock();
    return targets.map((target, i) => this.judge(target, outcomes[i] as LookupOutcome, resolverAnswered, observedAt));
  }

  private judge(target: HeartbeatTarget, outcome: LookupOutcome, resolverAnswered: boolean, observedAt: number): Observation {
    const base = { observer: this.name, kind: this.kind, region: target.region, observedAt, latencyMs: Math.round(outcome.latencyMs) };
    switch (outcome.kind) {
      case 'answer': {
        const reading = this.reader.read(target.region, outcome.records, observedAt);
        return { ...base, result: reading.result, reason: reading.reason, heartbeatSequence: reading.sequence, observerAnswered: true };
      }
      case 'rcode': {
        const problem = OBSERVER_PROBLEMS.has(outcome.rcode);
        const reason = problem
          ? `the resolver answered ${outcome.rcode} for ${target.name}: it will not resolve for us, so its view does not count (check its access control)`
          : outcome.rcode === 'SERVFAIL'
            ? `SERVFAIL for ${target.name}: the resolver could not get an answer from ${target.region}'s nameservers`
            : `${outcome.rcode} for ${target.name}: no heartbeat published where the resolver looked`;
        return { ...base, result: 'FAILED', reason, heartbeatSequence: 0, observerAnswered: !problem };
      }
      case 'no-reply':
        return {
          ...base,
          result: 'FAILED',
          reason: resolverAnswered
            ? `no answer for ${target.name} within ${this.options.timeoutMs} ms, though the resolver answers other questions`
            : `the resolver did not reply (${outcome.error}): no view of ${target.region}`,
          heartbeatSequence: 0,
          observerAnswered: resolverAnswered,
        };
    }
  }
}
