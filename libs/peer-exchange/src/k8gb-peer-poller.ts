import { isIPv6 } from 'node:net';
import type { LocalTargetsAnswer, LocalTargetsReader } from '@meridian/k8gb-interop';
import type { Logger } from '@meridian/logging';
import { AddressFamily, HealthState, TargetSource, type HostHealth } from '@meridian/proto';
import type { LocalTargets } from './local-targets';
import type { PeerSyncMetrics } from './peer-sync-metrics';
import type { PeerSpec } from './peer-spec';
import type { RemoteTargets } from './remote-targets';

export interface K8gbPeerPollerOptions {
  peer: PeerSpec;
  reader: Pick<LocalTargetsReader, 'read'>;
  local: LocalTargets;
  remote: RemoteTargets;
  pollMs: number;
  /** Lookups in flight at once. */
  concurrency?: number;
  metrics: PeerSyncMetrics;
  logger: Logger;
  now?: () => Date;
  /** Connection state changes, for the membership's last error. */
  onStatus?: (connected: boolean, error: string) => void;
}

/**
 * Reads a k8gb region as k8gb does: every `pollMs`, and as soon as a new local host appears,
 * asks its nameservers for `localtargets-<host>` of each host this region serves (k8gb
 * cannot list a region's hosts). A host answered with addresses is HEALTHY there with those
 * targets; NXDOMAIN or no address means UNHEALTHY (k8gb publishes the name only while the
 * host is healthy). A host whose lookup failed keeps its last known state. The region is
 * connected while its nameservers answer.
 */
export class K8gbPeerPoller {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private polling: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  /** The content last published per host, without timestamps. */
  private readonly published = new Map<string, string>();
  private readonly now: () => Date;

  constructor(private readonly options: K8gbPeerPollerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { local } = this.options;
    this.unsubscribe = local.onChange(() => {
      if (!this.stopped && local.hostNames().some((h) => !this.published.has(h))) this.pollSoon();
    });
    this.pollSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.polling;
  }

  /** One round over every local host. */
  async pollOnce(): Promise<void> {
    const { peer, reader, local, remote, metrics, logger } = this.options;
    const hosts = local.hostNames();
    const answers = new Map<string, LocalTargetsAnswer>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < hosts.length) {
        const host = hosts[next++] as string;
        try {
          answers.set(host, await reader.read(host));
          metrics.k8gbQueries.inc({ peer: peer.region, result: 'answered' });
        } catch (err) {
          failures.push((err as Error).message);
          metrics.k8gbQueries.inc({ peer: peer.region, result: 'unreachable' });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, hosts.length) }, worker));
    const at = this.now();

    const upserted: HostHealth[] = [];
    for (const [host, answer] of answers) {
      const key = `${answer.ipv4.join(',')}|${answer.ipv6.join(',')}`;
      if (this.published.get(host) === key) continue;
      this.published.set(host, key);
      upserted.push(toHostHealth(peer.region, answer, at));
    }
    const current = new Set(hosts);
    const removed = [...this.published.keys()].filter((h) => !current.has(h));
    for (const host of removed) this.published.delete(host);

    const connected = hosts.length === 0 ? (remote.view(peer.region)?.connected ?? false) : answers.size > 0;
    const error = answers.size === 0 && failures.length > 0 ? (failures[0] as string) : '';
    if (connected !== remote.view(peer.region)?.connected) {
      if (connected) logger.info('k8gb peer answers', { peer: peer.region, nameservers: peer.nameservers });
      else logger.warn('k8gb peer does not answer', { peer: peer.region, nameservers: peer.nameservers, error });
    }
    // Connected first, so the hosts of a region that just answered arrive as a connected region's.
    remote.setConnected(peer.region, connected, answers.size > 0 ? at : undefined);
    remote.applyChanges(peer.region, upserted, removed, at);
    this.options.onStatus?.(connected, error);
  }

  private pollSoon(): void {
    clearTimeout(this.timer);
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.pollOnce()
      .catch((err: unknown) => this.options.logger.error('k8gb poll failed', { peer: this.options.peer.region, err }))
      .finally(() => {
        this.polling = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.pollSoon();
        } else {
          this.timer = setTimeout(() => this.pollSoon(), this.options.pollMs);
        }
      });
  }
}

/** A k8gb answer as this region's records service reads any peer's host. */
export function toHostHealth(region: string, answer: LocalTargetsAnswer, at: Date): HostHealth {
  const addresses = [...answer.ipv4, ...answer.ipv6];
  return {
    host: answer.host,
    region,
    spec: undefined,
    serviceHealth: addresses.length > 0 ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
    targets: addresses.map((address) => ({
      target: { address, family: isIPv6(address) ? AddressFamily.ADDRESS_FAMILY_IPV6 : AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_UNSPECIFIED },
      state: HealthState.HEALTH_STATE_HEALTHY,
      checks: [{ check: 'k8gb-localtargets', passed: true, message: `listed in localtargets-${answer.host} by ${answer.server}`, observedAt: at, latencyMs: 0, consecutive: 1 }],
      changedAt: at,
    })),
    observedAt: at,
  };
}
