import type { HostHealth, RegionTargetsChange, RemoteTargetsDelta, RemoteTargetsSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { byHost, diffHosts, sameHostHealth } from './host-health';

/** Where this region stands in a peer's stream: the epoch and version last applied. */
export interface PeerPosition {
  epoch: string;
  version: number;
}

/** What records and operators see of one remote region. */
export interface RegionView {
  region: string;
  hosts: number;
  connected: boolean;
  lastContact: Date | undefined;
}

export interface RemoteTargetsOptions {
  /** A region's contact time alone (heartbeats) is published at most this often. */
  contactUpdateMs: number;
  historyLimit?: number;
}

interface RegionState {
  hosts: Map<string, HostHealth>;
  connected: boolean;
  lastContact: Date | undefined;
  position: PeerPosition;
  contactPublishedAt: number;
}

const NO_POSITION: PeerPosition = { epoch: '', version: 0 };

/**
 * Every remote region's hosts as last received, with its connection state and last contact,
 * and the stream `WatchRemoteTargets` serves: a snapshot, then one delta per change. A change
 * of `connected` is a delta at once; a change of `last_contact` alone is one at most every
 * `contactUpdateMs`, so heartbeats do not flood records. A region that disconnects keeps its
 * hosts (records decides, with the witnesses, what they are worth); only a region that
 * leaves the membership is removed, and that is a delta too.
 */
export class RemoteTargets {
  readonly stream: VersionedStream<RemoteTargetsSnapshot, RemoteTargetsDelta>;
  private readonly regions = new Map<string, RegionState>();

  constructor(private readonly options: RemoteTargetsOptions) {
    this.stream = new VersionedStream<RemoteTargetsSnapshot, RemoteTargetsDelta>({
      snapshot: () => this.snapshot(),
      ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    });
  }

  snapshot(): RemoteTargetsSnapshot {
    return {
      regions: [...this.regions.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([region, state]) => ({ region, hosts: [...state.hosts.values()].sort(byHost), lastContact: state.lastContact, connected: state.connected })),
    };
  }

  regionNames(): string[] {
    return [...this.regions.keys()].sort();
  }

  view(region: string): RegionView | undefined {
    const state = this.regions.get(region);
    return state && { region, hosts: state.hosts.size, connected: state.connected, lastContact: state.lastContact };
  }

  hosts(region: string): HostHealth[] {
    return [...(this.regions.get(region)?.hosts.values() ?? [])].sort(byHost);
  }

  /** Makes a region known (from the membership), so records sees it before it ever connects. */
  addRegion(region: string): void {
    if (this.regions.has(region)) return;
    this.state(region);
    this.publish(region, [], []);
  }

  /** The region left the membership: everything it sent is gone. */
  removeRegion(region: string): void {
    if (!this.regions.delete(region)) return;
    this.stream.publish({ changes: [{ region, upserted: [], removedHosts: [], lastContact: undefined, connected: false, regionRemoved: true }] });
  }

  position(region: string): PeerPosition {
    return { ...(this.regions.get(region)?.position ?? NO_POSITION) };
  }

  /** Forgets where we stand, so the next hello asks the peer for a snapshot. */
  resetPosition(region: string): void {
    const state = this.regions.get(region);
    if (state) state.position = { ...NO_POSITION };
  }

  /** A full set of a region's hosts (a peer snapshot, or a k8gb poll); publishes what changed. */
  replaceHosts(region: string, hosts: readonly HostHealth[], at: Date, position?: PeerPosition): void {
    const state = this.state(region);
    const next = new Map<string, HostHealth>();
    for (const host of hosts) next.set(host.host, { ...host, region });
    const { upserted, removed } = diffHosts(state.hosts, next);
    state.hosts = next;
    if (position) state.position = { ...position };
    this.publishChanges(region, state, upserted, removed, at);
  }

  /** Some of a region's hosts changed (a peer delta); publishes what really changed. */
  applyChanges(region: string, upserted: readonly HostHealth[], removedHosts: readonly string[], at: Date, position?: PeerPosition): void {
    const state = this.state(region);
    const changed: HostHealth[] = [];
    const removed: string[] = [];
    for (const host of upserted) {
      const stamped = { ...host, region };
      const before = state.hosts.get(host.host);
      if (before && sameHostHealth(before, stamped)) continue;
      state.hosts.set(host.host, stamped);
      changed.push(stamped);
    }
    for (const host of removedHosts) if (state.hosts.delete(host)) removed.push(host);
    if (position) state.position = { ...position };
    this.publishChanges(region, state, changed.sort(byHost), removed.sort(), at);
  }

  /** The region was heard from (any message, heartbeats included). */
  contact(region: string, at: Date): void {
    const state = this.regions.get(region);
    if (!state) return;
    state.lastContact = at;
    if (at.getTime() - state.contactPublishedAt >= this.options.contactUpdateMs) this.publish(region, [], []);
  }

  setConnected(region: string, connected: boolean, at?: Date): void {
    const state = this.state(region);
    if (at) state.lastContact = at;
    if (state.connected === connected) return;
    state.connected = connected;
    this.publish(region, [], []);
  }

  /** Hosts that changed are a delta at once; a message that changed nothing is only contact. */
  private publishChanges(region: string, state: RegionState, upserted: HostHealth[], removed: string[], at: Date): void {
    if (upserted.length === 0 && removed.length === 0) {
      this.contact(region, at);
      return;
    }
    state.lastContact = at;
    this.publish(region, upserted, removed);
  }

  private state(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = { hosts: new Map(), connected: false, lastContact: undefined, position: { ...NO_POSITION }, contactPublishedAt: 0 };
      this.regions.set(region, state);
    }
    return state;
  }

  private publish(region: string, upserted: HostHealth[], removedHosts: string[]): void {
    const state = this.regions.get(region);
    if (!state) return;
    state.contactPublishedAt = state.lastContact?.getTime() ?? 0;
    const change: RegionTargetsChange = { region, upserted, removedHosts, lastContact: state.lastContact, connected: state.connected, regionRemoved: false };
    this.stream.publish({ changes: [change] });
  }
}
