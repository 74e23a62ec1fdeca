import type { GeoTag } from '@meridian/strategies';
import type { RemoteRegionChange, RemoteRegionReport } from './input-events';
import { changesAnswers } from './plan-key';
import type { HostReport } from './reports';

interface RemoteRegion {
  readonly hosts: Map<string, HostReport>;
  lastContactMs: number;
  connected: boolean;
  /** The latest time the region's data is known to have been current. */
  confirmedAtMs: number;
}

/**
 * What peer-sync reported of the other regions, and how current it is (ADR records-0003): a
 * region peer-sync calls connected while its stream is live is current now; otherwise its data
 * was last confirmed at the latest of its last contact and the times of what it sent. Each
 * change returns the hosts whose answers it may change.
 */
export class RemoteRegions {
  private readonly regions = new Map<GeoTag, RemoteRegion>();
  private synced = false;

  /** Whether the peer-sync stream is live. */
  get linkSynced(): boolean {
    return this.synced;
  }

  geoTags(): GeoTag[] {
    return [...this.regions.keys()];
  }

  has(region: GeoTag): boolean {
    return this.regions.has(region);
  }

  hostsOf(region: GeoTag): Iterable<string> {
    return this.regions.get(region)?.hosts.keys() ?? [];
  }

  /** Every region's report of a host, sorted by geotag. */
  reportsOf(host: string): { region: GeoTag; report: HostReport }[] {
    const out: { region: GeoTag; report: HostReport }[] = [];
    for (const [region, state] of this.regions) {
      const report = state.hosts.get(host);
      if (report !== undefined) out.push({ region, report });
    }
    return out.sort((a, b) => (a.region < b.region ? -1 : 1));
  }

  /** When the region's data was last known current (now, while connected over a live stream). */
  confirmedAt(region: GeoTag, now: number): number {
    const state = this.regions.get(region);
    if (state === undefined) return 0;
    if (state.connected && this.synced) return now;
    return state.confirmedAtMs;
  }

  isConnected(region: GeoTag): boolean {
    return (this.regions.get(region)?.connected ?? false) && this.synced;
  }

  /** A snapshot: replaces every region (regions it lacks are gone). */
  replace(reports: readonly RemoteRegionReport[], dirty: Set<string>): void {
    const incoming = new Map(reports.map((r) => [r.region, r]));
    for (const region of [...this.regions.keys()]) if (!incoming.has(region)) this.drop(region, dirty);
    for (const report of incoming.values()) {
      const state = this.ensure(report.region);
      const next = new Map(report.hosts.map((h) => [h.host, h]));
      for (const host of state.hosts.keys()) if (!next.has(host)) dirty.add(host);
      for (const [host, h] of next) if (changesAnswers(state.hosts.get(host), h)) dirty.add(host);
      state.hosts.clear();
      for (const [host, h] of next) state.hosts.set(host, h);
      this.touch(state, report.lastContactMs, report.connected, report.hosts);
    }
    this.synced = true;
  }

  /** One region's part of a delta. */
  change(change: RemoteRegionChange, dirty: Set<string>): void {
    if (change.regionRemoved) {
      this.drop(change.region, dirty);
      return;
    }
    const state = this.ensure(change.region);
    for (const h of change.upserted) {
      if (changesAnswers(state.hosts.get(h.host), h)) dirty.add(h.host);
      state.hosts.set(h.host, h);
    }
    for (const host of change.removed) if (state.hosts.delete(host)) dirty.add(host);
    this.touch(state, change.lastContactMs, change.connected, change.upserted);
  }

  /**
   * The peer-sync stream went live or away. When it goes away, what it last said is confirmed
   * only up to now: connected regions count as confirmed at this moment.
   */
  setLink(synced: boolean, now: number): boolean {
    if (synced === this.synced) return false;
    if (!synced) for (const state of this.regions.values()) if (state.connected) state.confirmedAtMs = Math.max(state.confirmedAtMs, now);
    this.synced = synced;
    return true;
  }

  private ensure(region: GeoTag): RemoteRegion {
    let state = this.regions.get(region);
    if (state === undefined) this.regions.set(region, (state = { hosts: new Map(), lastContactMs: 0, connected: false, confirmedAtMs: 0 }));
    return state;
  }

  private touch(state: RemoteRegion, lastContactMs: number, connected: boolean, hosts: readonly HostReport[]): void {
    state.lastContactMs = Math.max(state.lastContactMs, lastContactMs);
    state.connected = connected;
    let confirmed = Math.max(state.confirmedAtMs, state.lastContactMs);
    for (const h of hosts) confirmed = Math.max(confirmed, h.observedAtMs);
    state.confirmedAtMs = confirmed;
  }

  private drop(region: GeoTag, dirty: Set<string>): void {
    for (const host of this.hostsOf(region)) dirty.add(host);
    this.regions.delete(region);
  }
}
