import type { HostHealth, PeerTargetsDelta, PeerTargetsSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { byHost, diffHosts, sameHostHealth } from './host-health';

export interface LocalTargetsOptions {
  /** This region's geotag, stamped on every host sent to peers. */
  region: string;
  now?: () => Date;
  /** How many deltas are kept for peers that resume (ADR 0004). */
  historyLimit?: number;
}

/**
 * This region's hosts as the local prober reports them, and the versioned stream peers read
 * them from. Its epoch is this process's, so a prober restart (a new snapshot there) becomes
 * only the hosts that changed here, and peers resume with deltas across it.
 */
export class LocalTargets {
  readonly stream: VersionedStream<PeerTargetsSnapshot, PeerTargetsDelta>;
  private readonly hosts = new Map<string, HostHealth>();
  private readonly now: () => Date;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly options: LocalTargetsOptions) {
    this.now = options.now ?? (() => new Date());
    this.stream = new VersionedStream<PeerTargetsSnapshot, PeerTargetsDelta>({
      snapshot: () => ({ hosts: [...this.hosts.values()].sort(byHost) }),
      ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    });
  }

  /** True once the prober's first snapshot was applied (or there is no prober). */
  get isSynced(): boolean {
    return this.synced;
  }

  /** Resolves once synced: until then peers get heartbeats, never an empty snapshot. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  hostNames(): string[] {
    return [...this.hosts.keys()].sort();
  }

  get size(): number {
    return this.hosts.size;
  }

  /** Called after each published change (the k8gb poller asks about new hosts at once); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Replaces every host (a prober snapshot); publishes the difference. Returns the new version. */
  replaceAll(hosts: readonly HostHealth[]): number {
    const next = new Map<string, HostHealth>();
    for (const host of hosts) next.set(host.host, this.stamp(host));
    const { upserted, removed } = diffHosts(this.hosts, next);
    this.hosts.clear();
    for (const [name, host] of next) this.hosts.set(name, host);
    this.markSynced();
    return this.publish(upserted, removed);
  }

  /** Applies a prober delta; hosts that did not really change are left out. Returns the new version. */
  apply(upserted: readonly HostHealth[], removedHosts: readonly string[]): number {
    const changed: HostHealth[] = [];
    const removed: string[] = [];
    for (const host of upserted) {
      const stamped = this.stamp(host);
      const before = this.hosts.get(host.host);
      if (before && sameHostHealth(before, stamped)) continue;
      this.hosts.set(host.host, stamped);
      changed.push(stamped);
    }
    for (const host of removedHosts) if (this.hosts.delete(host)) removed.push(host);
    return this.publish(changed.sort(byHost), removed.sort());
  }

  /** With no prober configured there is nothing to wait for. */
  markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  private publish(upserted: HostHealth[], removedHosts: string[]): number {
    if (upserted.length === 0 && removedHosts.length === 0) return this.stream.version;
    const version = this.stream.publish({ upserted, removedHosts });
    for (const listener of this.listeners) listener();
    return version;
  }

  /**
   * Peers learn the region from the host itself; observedAt is when this region last
   * confirmed it. A host without one keeps the time it was first seen with this content.
   */
  private stamp(host: HostHealth): HostHealth {
    const stamped = { ...host, region: this.options.region };
    if (stamped.observedAt) return stamped;
    const before = this.hosts.get(host.host);
    if (before && sameHostHealth(before, { ...stamped, observedAt: before.observedAt })) return before;
    return { ...stamped, observedAt: this.now() };
  }
}
