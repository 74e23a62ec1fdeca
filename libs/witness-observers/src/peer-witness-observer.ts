import type { Observation } from '@meridian/witness-quorum';
import type { Clock, HeartbeatTarget, Observer } from './observer';
import type { WitnessPeerClient } from './witness-peer-client';

export interface PeerWitnessObserverOptions {
  /** The peer's region: the observer's name in evidence and metrics. */
  readonly peerRegion: string;
  /** This region, sent as `observer_region`. */
  readonly selfRegion: string;
  readonly client: WitnessPeerClient;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/**
 * A peer region's witness, asked over gRPC what it sees of each region from where it stands.
 * A peer that cannot be asked abstains: from here, "the peer is unreachable" says nothing
 * about the region being judged.
 */
export class PeerWitnessObserver implements Observer {
  readonly kind = 'PEER_WITNESS' as const;
  readonly name: string;

  constructor(private readonly options: PeerWitnessObserverOptions) {
    this.name = options.peerRegion;
  }

  async observe(targets: readonly HeartbeatTarget[]): Promise<Observation[]> {
    const { clock, client, timeoutMs, selfRegion, peerRegion } = this.options;
    const started = clock();
    let seen: Observation[];
    try {
      seen = await client.observe({ observerRegion: selfRegion, regions: targets.map((t) => t.region) }, timeoutMs);
    } catch (err) {
      const latencyMs = clock() - started;
      const detail = err instanceof Error ? err.message : String(err);
      return targets.map((t) => this.abstain(t.region, `peer witness ${peerRegion} could not be asked (${detail}): no view of ${t.region}`, latencyMs));
    }
    const latencyMs = clock() - started;
    const byRegion = new Map(seen.map((o) => [o.region, o]));
    return targets.map((t) => {
      const o = byRegion.get(t.region);
      if (!o) return this.abstain(t.region, `peer witness ${peerRegion} has no observation of ${t.region} (no nameservers configured there?)`, latencyMs);
      return { ...o, observer: peerRegion, kind: this.kind, reason: `${peerRegion} sees: ${o.reason}`, latencyMs, observerAnswered: true };
    });
  }

  private abstain(region: string, reason: string, latencyMs: number): Observation {
    return {
      observer: this.name,
      kind: this.kind,
      region,
      result: 'FAILED',
      reason,
      observedAt: this.options.clock(),
      heartbeatSequence: 0,
      latencyMs,
      observerAnswered: false,
    };
  }
}
