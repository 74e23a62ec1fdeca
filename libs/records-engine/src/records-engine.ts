import type { Logger } from '@meridian/logging';
import type { ZoneChange, ZoneDelta, ZoneSnapshot } from '@meridian/proto';
import type { DnsEndpointRecord, GslbStatus, GslbStatusSource } from '@meridian/records-kube';
import { VersionedStream } from '@meridian/streams';
import { compileCidrTable, type CidrTable, type GeoTag, type RegionVerdict, type StrategySpec } from '@meridian/strategies';
import { seedVersion, type Clock } from './clock';
import { localTargetsName, ZoneIndex } from './dns-names';
import { gslbStatusOf, gslbMetricsOf, endpointsOf, type GslbHostView } from './gslb-view';
import { summarizeHostAnswer } from './host-answer-summary';
import { plansOf, type HostPlans } from './host-plans';
import type { LocalTargetsEvent, RemoteTargetsEvent, VerdictsEvent } from './input-events';
import { changesAnswers } from './plan-key';
import { planHost, type PlanRegion } from './plan-host';
import type { RecordsMetrics } from './records-metrics';
import type { RecordsSettings, ZoneSettings } from './records-settings';
import type { HostReport, HostSpecReport, SpecProblemReport, VerdictReport } from './reports';
import { RemoteRegions } from './remote-regions';
import { ZoneStore } from './zone-store';
import { hostRecordSet, localTargetsSet, witnessDelegations, witnessHeartbeatSet, zoneHeader } from './zone-records';

export interface RecordsEngineOptions {
  readonly settings: RecordsSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: RecordsMetrics;
  /** Runs the coalesced recomputation later; setImmediate unless given (tests flush by hand). */
  readonly schedule?: (task: () => void) => void;
  /** The first version; seeded from the clock unless given (see seedVersion). */
  readonly initialVersion?: number;
  readonly epoch?: string;
  readonly historyLimit?: number;
  /**
   * How long one flush may compute before it publishes what it has and yields (the rest
   * follows in the next flush), so re-planning a whole region never blocks streams and
   * Explain for long. 20 ms unless given.
   */
  readonly sliceMs?: number;
}

/** What records knows and serves of one host. */
export interface HostState {
  readonly host: string;
  readonly zone: string | undefined;
  /** The spec in force: the local one, else the first remote region's (by geotag). */
  readonly spec: HostSpecReport | undefined;
  readonly specRegion: GeoTag | undefined;
  /** The plans served (kept as they were when a recomputation fails). */
  readonly plans: HostPlans | undefined;
  /** Why the host is not served, or not as its inputs say; undefined when all is well. */
  readonly problem: string | undefined;
}

/** One region's part in a host, as Explain shows it. */
export interface RegionView {
  readonly geoTag: GeoTag;
  readonly local: boolean;
  readonly report: HostReport | undefined;
  readonly observedAtMs: number;
  readonly verdict: VerdictReport | undefined;
  /** The verdict the planner used (UNKNOWN when no witness said anything). */
  readonly plannedVerdict: RegionVerdict;
  readonly connected: boolean;
}

/** Everything known about a host, for Explain. */
export interface HostView {
  readonly state: HostState;
  readonly regions: readonly RegionView[];
  readonly localProblems: readonly SpecProblemReport[];
  readonly zoneVersion: number;
}

/**
 * The records engine: takes the three input streams (as domain events), keeps each host's
 * answer plans, and publishes the zones as a versioned stream. A change marks the hosts it
 * touches; a coalesced flush recomputes only those, compares the encoded record sets and
 * publishes one delta with the names that really changed. Time-based changes (silent regions
 * turning held, held turning dropped) are found by `reevaluate`, which a timer calls.
 */
export class RecordsEngine implements GslbStatusSource {
  readonly stream: VersionedStream<ZoneSnapshot, ZoneDelta>;
  private readonly settings: RecordsSettings;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: RecordsMetrics | undefined;
  private readonly schedule: (task: () => void) => void;
  private readonly sliceMs: number;
  private readonly store = new ZoneStore();
  private readonly zoneIndex: ZoneIndex;
  private readonly zonesByOrigin = new Map<string, ZoneSettings>();
  private readonly geo: CidrTable | undefined;
  private readonly proximity: Readonly<Record<GeoTag, readonly GeoTag[]>>;
  private readonly hasProximity: boolean;
  /** Each reported strategy with the region config's proximity added, built once per report. */
  private readonly specs = new WeakMap<StrategySpec, StrategySpec>();

  private readonly local = new Map<string, HostReport>();
  private localProblems: readonly SpecProblemReport[] = [];
  private localSynced: boolean;
  private readonly remote = new RemoteRegions();
  private remoteSyncedOnce = false;
  private readonly verdicts = new Map<GeoTag, VerdictReport>();
  /** The witness stream is live: its verdicts count (kept while it is down, for a resume with deltas). */
  private verdictLinkSynced = false;
  private verdictsSyncedOnce = false;
  private graceOver = false;
  /** The admission phase each remote region was last judged in; a change re-plans its hosts. */
  private readonly regionPhase = new Map<GeoTag, string>();

  private readonly hosts = new Map<string, HostState>();
  private readonly gslbHosts = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  /** Gslbs whose hosts were re-planned since their status and metrics were last updated. */
  private readonly touchedGslbs = new Set<string>();
  private heartbeatDue = false;
  private flushScheduled = false;
  private built = false;
  private readonly gslbListeners: ((keys: ReadonlySet<string>) => void)[] = [];
  private readonly readyListeners = new Set<() => void>();
  private readonly failOpenHosts = new Set<string>();
  private readonly servedHosts = new Set<string>();

  constructor(options: RecordsEngineOptions) {
    this.settings = options.settings;
    this.clock = options.clock;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.schedule = options.schedule ?? ((task) => void setImmediate(task));
    this.sliceMs = options.sliceMs ?? 20;
    this.localSynced = !options.settings.expectLocalTargets;
    this.zoneIndex = new ZoneIndex(this.settings.zones.map((z) => z.origin));
    this.geo = this.settings.geoCidrs.length === 0 ? undefined : compileCidrTable(this.settings.geoCidrs);
    this.proximity = Object.fromEntries(this.settings.regions.filter((r) => r.proximity.length > 0).map((r) => [r.geoTag, r.proximity]));
    this.hasProximity = Object.keys(this.proximity).length > 0;

    const initialVersion = options.initialVersion ?? seedVersion(this.clock.nowMs());
    const now = this.clock.nowMs();
    for (const zone of this.settings.zones) {
      this.zonesByOrigin.set(zone.origin, zone);
      this.store.addZone(zoneHeader(zone, this.settings));
      for (const set of witnessDelegations(zone, this.settings)) this.store.put(zone.origin, set.name, set);
      const heartbeat = witnessHeartbeatSet(zone, this.settings, initialVersion, now);
      this.store.put(zone.origin, heartbeat.name, heartbeat);
    }
    this.stream = new VersionedStream<ZoneSnapshot, ZoneDelta>({
      snapshot: () => this.store.snapshot(),
      initialVersion,
      ...(options.epoch !== undefined ? { epoch: options.epoch } : {}),
      ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    });
    this.metrics?.zoneVersion.set(initialVersion);
    this.metrics?.zoneNames.set(this.store.nameCount);
  }

  get version(): number {
    return this.stream.version;
  }

  // ---- inputs -------------------------------------------------------------------------

  applyLocal(event: LocalTargetsEvent): void {
    if (event.kind === 'snapshot') {
      const next = new Map(event.hosts.map((h) => [h.host, h]));
      for (const host of this.local.keys()) if (!next.has(host)) this.dirty.add(host);
      for (const [host, report] of next) this.putLocal(host, report);
      for (const host of [...this.local.keys()]) if (!next.has(host)) this.local.delete(host);
      this.localProblems = event.problems;
      this.localSynced = true;
    } else {
      for (const report of event.upserted) this.putLocal(report.host, report);
      for (const host of event.removed) {
        if (this.local.delete(host)) this.dirty.add(host);
      }
      if (event.problems !== undefined) this.localProblems = event.problems;
    }
    this.requestFlush();
  }

  applyRemote(event: RemoteTargetsEvent): void {
    if (event.kind === 'snapshot') {
      this.remote.replace(event.regions.filter((r) => this.isRemote(r.region)), this.dirty);
      this.remoteSyncedOnce = true;
    } else {
      for (const change of event.changes) if (this.isRemote(change.region)) this.remote.change(change, this.dirty);
      // A delta comes from a live stream (a resume starts with deltas).
      this.remote.setLink(true, this.clock.nowMs());
    }
    this.reevaluateAt(this.clock.nowMs());
    this.requestFlush();
  }

  applyVerdicts(event: VerdictsEvent): void {
    if (event.kind === 'snapshot') {
      this.verdicts.clear();
      for (const v of event.verdicts) this.verdicts.set(v.region, v);
      this.verdictsSyncedOnce = true;
    } else {
      for (const v of event.changed) this.verdicts.set(v.region, v);
    }
    // Whatever the stream delivers comes from a live stream (a resume starts with deltas).
    this.verdictLinkSynced = true;
    this.reevaluateAt(this.clock.nowMs());
    this.requestFlush();
  }

  /**
   * Whether the peer-sync stream is live. While it is, a region peer-sync reports connected
   * is current; when it drops, what peer-sync last said is confirmed only up to now.
   */
  setRemoteLink(synced: boolean): void {
    const now = this.clock.nowMs();
    if (!this.remote.setLink(synced, now)) return;
    this.reevaluateAt(now);
    this.requestFlush();
  }

  /**
   * Whether the witness stream is live. While it is not, every verdict counts as UNKNOWN (no
   * evidence either way); the verdicts are kept, so a stream resumed with deltas brings them back.
   */
  setVerdictLink(synced: boolean): void {
    if (synced === this.verdictLinkSynced) return;
    this.verdictLinkSynced = synced;
    this.reevaluateAt(this.clock.nowMs());
    this.requestFlush();
  }

  /** Ends the wait for optional inputs at start-up (peer-sync, witness). */
  endStartupGrace(): void {
    if (this.graceOver) return;
    this.graceOver = true;
    this.notifyIfReady();
  }

  /** Publishes a fresh witness heartbeat in every zone (a timer calls this). */
  heartbeat(): void {
    if (this.settings.zones.length === 0) return;
    this.heartbeatDue = true;
    this.requestFlush();
  }

  /** Re-judges silent regions against the staleness limits (a timer calls this). */
  reevaluate(): void {
    if (this.reevaluateAt(this.clock.nowMs())) this.requestFlush();
  }

  // ---- readiness ----------------------------------------------------------------------

  /** Ready once the first prober snapshot is applied and the zones are built (and optional inputs synced, or the grace over). */
  isReady(): boolean {
    if (!this.localSynced || (this.settings.expectLocalTargets && !this.built)) return false;
    const remoteOk = !this.settings.expectRemoteTargets || this.remoteSyncedOnce || this.graceOver;
    const verdictsOk = !this.settings.expectVerdicts || this.verdictsSyncedOnce || this.graceOver;
    return remoteOk && verdictsOk;
  }

  /** Why the engine is not ready yet (for /readyz). */
  readinessDetail(): string {
    if (!this.localSynced) return 'waiting for the first prober snapshot';
    if (this.settings.expectLocalTargets && !this.built) return 'building the zones';
    if (!this.isReady()) return 'waiting for peer-sync and witness to sync (up to the start-up grace)';
    return `zones built at version ${this.stream.version}`;
  }

  onReady(listener: () => void): void {
    if (this.isReady()) listener();
    else this.readyListeners.add(listener);
  }

  /** Resolves with true when ready, or with false when `signal` aborts first. */
  whenReady(signal?: AbortSignal): Promise<boolean> {
    if (this.isReady()) return Promise.resolve(true);
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const listener = () => resolve(true);
      this.readyListeners.add(listener);
      signal?.addEventListener(
        'abort',
        () => {
          this.readyListeners.delete(listener);
          resolve(false);
        },
        { once: true },
      );
    });
  }

  private notifyIfReady(): void {
    if (this.readyListeners.size === 0 || !this.isReady()) return;
    const listeners = [...this.readyListeners];
    this.readyListeners.clear();
    for (const listener of listeners) listener();
  }

  // ---- recomputation ------------------------------------------------------------------

  private requestFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  /**
   * Recomputes the marked hosts and publishes one delta with the names that changed (nothing
   * when nothing did). A flush that runs out of its time slice publishes what it has and
   * schedules another for the rest. Returns the version published, if any.
   */
  flush(): number | undefined {
    this.flushScheduled = false;
    if (!this.localSynced) return undefined;
    const started = performance.now();
    const now = this.clock.nowMs();
    const changes: ZoneChange[] = [];
    const touched = this.touchedGslbs;
    for (const host of this.dirty) {
      this.dirty.delete(host);
      this.replan(host, now, changes, touched);
      if (performance.now() - started > this.sliceMs) break;
    }
    if (this.dirty.size > 0) this.requestFlush();
    if (this.heartbeatDue) {
      this.heartbeatDue = false;
      // The heartbeat carries the version of the delta that publishes it.
      const sequence = this.stream.version + 1;
      for (const zone of this.settings.zones) {
        const set = witnessHeartbeatSet(zone, this.settings, sequence, now);
        const change = this.store.put(zone.origin, set.name, set);
        if (change) changes.push(change);
      }
      this.metrics?.witnessHeartbeats.inc();
    }
    let published: number | undefined;
    if (changes.length > 0) {
      published = this.stream.publish({ changes });
      this.metrics?.deltasPublished.inc();
      this.metrics?.changesPublished.inc(changes.length);
      this.metrics?.zoneVersion.set(published);
    }
    // Gslb status and k8gb metrics once the marked hosts are all done: a whole-region re-plan
    // spread over many slices recomputes each Gslb once, not once per slice.
    if (touched.size > 0 && this.dirty.size === 0) {
      this.updateGslbs(new Set(touched));
      touched.clear();
    }
    if (this.metrics) {
      this.metrics.computeSeconds.observe((performance.now() - started) / 1000);
      this.metrics.k8gbReconciliations.inc();
    }
    if (!this.built && this.dirty.size === 0) {
      this.built = true;
      this.logger.info('zones built', { version: this.stream.version, hosts: this.hosts.size, zones: this.settings.zones.length });
    }
    this.notifyIfReady();
    return published;
  }

  private replan(host: string, now: number, changes: ZoneChange[], touched: Set<string>): void {
    const previous = this.hosts.get(host);
    const local = this.local.get(host);
    const remote = this.remote.reportsOf(host);
    if (local === undefined && remote.length === 0) {
      this.forgetHost(host, previous, changes, touched);
      return;
    }
    // The local spec rules; a host only peers declare is planned with the first peer's (by geotag).
    const source =
      (local?.spec?.strategy !== undefined ? local : undefined) ??
      remote.find((r) => r.report.spec?.strategy !== undefined)?.report ??
      (local?.spec !== undefined ? local : undefined) ??
      remote.find((r) => r.report.spec !== undefined)?.report;
    const spec = source?.spec;
    const zone = this.zoneIndex.zoneOf(host);
    let plans = previous?.plans;
    let problem: string | undefined;

    if (zone === undefined) {
      problem = `${host} is outside every zone this region serves (${this.settings.zones.map((z) => z.origin).join(', ') || 'none configured'}): not answered`;
      plans = undefined;
    } else if (spec?.strategy === undefined) {
      problem = `no usable strategy for ${host}${spec?.problem ? `: ${spec.problem}` : ''}; ${plans ? 'keeping the last answer' : 'not answered'}`;
    } else {
      try {
        plans = planHost({
          spec: this.effectiveSpec(spec.strategy),
          localGeoTag: this.settings.localGeoTag,
          regions: this.planRegions(local, remote, now),
          previous: previous?.plans,
          nowMs: now,
          limits: this.settings.limits,
          geo: this.geo,
        });
      } catch (err) {
        problem = `cannot plan ${host}: ${(err as Error).message}; ${plans ? 'keeping the last answer' : 'not answered'}`;
      }
    }
    if (problem !== undefined && problem !== previous?.problem) {
      this.logger.warn('host not planned as reported', { host, problem });
      if (spec?.gslb) this.metrics?.gslbError(spec.gslb);
    }

    const state: HostState = { host, zone, spec, specRegion: source?.region, plans, problem };
    this.hosts.set(host, state);
    this.indexGslb(host, previous?.spec?.gslb, spec?.gslb, touched);

    if (zone !== undefined) {
      const ttl = spec?.strategy?.dnsTtlSeconds ?? 30;
      const hostSet = plans === undefined ? undefined : hostRecordSet(host, ttl, plans);
      const a = this.store.put(zone, host, hostSet);
      if (a) changes.push(a);
      const b = this.store.put(zone, localTargetsName(host), localTargetsSet(host, ttl, local?.targets ?? []));
      if (b) changes.push(b);
    }
    if (plansOf(plans).some(({ plan }) => plan.failOpen)) this.failOpenHosts.add(host);
    else this.failOpenHosts.delete(host);
    if (zone !== undefined && plans !== undefined) this.servedHosts.add(host);
    else this.servedHosts.delete(host);
    if (zone !== undefined && plans !== undefined) this.metrics?.setHostAnswer(host, summarizeHostAnswer(plans), [this.settings.localGeoTag, ...remote.map((r) => r.region)]);
    else this.metrics?.setHostAnswer(host, undefined);
  }

  private forgetHost(host: string, previous: HostState | undefined, changes: ZoneChange[], touched: Set<string>): void {
    if (previous === undefined) return;
    this.hosts.delete(host);
    this.failOpenHosts.delete(host);
    this.servedHosts.delete(host);
    this.metrics?.setHostAnswer(host, undefined);
    this.indexGslb(host, previous.spec?.gslb, undefined, touched);
    if (previous.zone === undefined) return;
    for (const name of [host, localTargetsName(host)]) {
      const change = this.store.put(previous.zone, name, undefined);
      if (change) changes.push(change);
    }
  }

  private indexGslb(host: string, before: string | undefined, after: string | undefined, touched: Set<string>): void {
    if (before !== undefined && before !== after) {
      const set = this.gslbHosts.get(before);
      set?.delete(host);
      if (set?.size === 0) this.gslbHosts.delete(before);
      touched.add(before);
    }
    if (after !== undefined) {
      let set = this.gslbHosts.get(after);
      if (set === undefined) this.gslbHosts.set(after, (set = new Set()));
      set.add(host);
      touched.add(after);
    }
  }

  private effectiveSpec(strategy: StrategySpec): StrategySpec {
    if (!this.hasProximity) return strategy;
    let spec = this.specs.get(strategy);
    if (spec === undefined) this.specs.set(strategy, (spec = { ...strategy, proximity: this.proximity }));
    return spec;
  }

  private planRegions(local: HostReport | undefined, remote: { region: GeoTag; report: HostReport }[], now: number): PlanRegion[] {
    const regions: PlanRegion[] = [
      { geoTag: this.settings.localGeoTag, local: true, targets: local?.targets ?? [], observedAtMs: now, verdict: 'ALIVE' },
    ];
    for (const { region, report } of remote) {
      regions.push({ geoTag: region, local: false, targets: report.targets, observedAtMs: this.confirmedAt(region, now), verdict: this.verdictOf(region) });
    }
    return regions;
  }

  private confirmedAt(region: GeoTag, now: number): number {
    return this.remote.confirmedAt(region, now);
  }

  private verdictOf(region: GeoTag): RegionVerdict {
    return this.verdictReport(region)?.state ?? 'UNKNOWN';
  }

  /** The witness's verdict on a region, while the witness stream is live. */
  private verdictReport(region: GeoTag): VerdictReport | undefined {
    return this.verdictLinkSynced ? this.verdicts.get(region) : undefined;
  }

  /** The admission bucket of a remote region now; plans change only when it does. */
  private phaseOf(region: GeoTag, now: number): string {
    if (!this.remote.has(region)) return 'gone';
    const age = now - this.confirmedAt(region, now);
    const limits = this.settings.limits;
    if (age <= limits.freshForMs) return 'fresh';
    const verdict = this.verdictOf(region);
    if (verdict === 'DOWN') return 'down';
    if (verdict === 'ALIVE') return age <= limits.aliveHoldLimitMs ? 'held-alive' : 'expired';
    return age <= limits.staleLimitMs ? 'held-unknown' : 'expired';
  }

  /** Marks the hosts of every region whose phase changed; true when any did. */
  private reevaluateAt(now: number): boolean {
    let changed = false;
    for (const region of new Set([...this.remote.geoTags(), ...this.regionPhase.keys()])) {
      const phase = this.phaseOf(region, now);
      if (this.regionPhase.get(region) === phase) continue;
      changed = true;
      if (phase === 'gone') this.regionPhase.delete(region);
      else this.regionPhase.set(region, phase);
      for (const host of this.remote.hostsOf(region)) this.dirty.add(host);
    }
    return changed;
  }

  private isRemote(region: GeoTag): boolean {
    if (region !== this.settings.localGeoTag) return true;
    this.logger.warn('peer-sync reported this region as remote; ignored', { region });
    return false;
  }

  private putLocal(host: string, report: HostReport): void {
    if (changesAnswers(this.local.get(host), report)) this.dirty.add(host);
    this.local.set(host, report);
  }

  private updateGslbs(keys: ReadonlySet<string>): void {
    if (this.metrics) {
      for (const key of keys) this.metrics.setGslb(key, this.gslbHosts.has(key) ? gslbMetricsOf(key, this.gslbViews(key), this.settings.localGeoTag) : undefined);
      this.metrics.hosts.set({ state: 'served' }, this.servedHosts.size);
      this.metrics.hosts.set({ state: 'unserved' }, this.hosts.size - this.servedHosts.size);
      this.metrics.failOpenHosts.set(this.failOpenHosts.size);
      this.metrics.zoneNames.set(this.store.nameCount);
    }
    for (const listener of this.gslbListeners) listener(keys);
  }

  // ---- views --------------------------------------------------------------------------

  /** Hosts known, sorted. */
  hostNames(): string[] {
    return [...this.hosts.keys()].sort();
  }

  hostState(host: string): HostState | undefined {
    return this.hosts.get(host);
  }

  /** Everything Explain shows about a host; undefined for a host no region declares. */
  hostView(host: string): HostView | undefined {
    const state = this.hosts.get(host);
    if (state === undefined) return undefined;
    const now = this.clock.nowMs();
    const regions: RegionView[] = [
      {
        geoTag: this.settings.localGeoTag,
        local: true,
        report: this.local.get(host),
        observedAtMs: this.local.get(host)?.observedAtMs ?? 0,
        verdict: this.verdictReport(this.settings.localGeoTag),
        plannedVerdict: 'ALIVE',
        connected: true,
      },
    ];
    for (const { region, report } of this.remote.reportsOf(host)) {
      regions.push({
        geoTag: region,
        local: false,
        report,
        observedAtMs: this.confirmedAt(region, now),
        verdict: this.verdictReport(region),
        plannedVerdict: this.verdictOf(region),
        connected: this.remote.isConnected(region),
      });
    }
    return { state, regions, localProblems: this.localProblems, zoneVersion: this.stream.version };
  }

  /** The compiled geo map (for Explain's client lookup). */
  geoTable(): CidrTable | undefined {
    return this.geo;
  }

  // ---- GslbStatusSource ---------------------------------------------------------------

  gslbKeys(): string[] {
    return [...this.gslbHosts.keys()].sort();
  }

  statusOf(key: string): GslbStatus | undefined {
    if (!this.gslbHosts.has(key)) return undefined;
    return gslbStatusOf(this.gslbViews(key), this.settings.localGeoTag);
  }

  endpointsOf(key: string): DnsEndpointRecord[] {
    return endpointsOf(this.gslbViews(key));
  }

  onGslbsChanged(listener: (keys: ReadonlySet<string>) => void): void {
    this.gslbListeners.push(listener);
  }

  private gslbViews(key: string): GslbHostView[] {
    return [...(this.gslbHosts.get(key) ?? [])].sort().map((host) => ({
      host,
      state: this.hosts.get(host) as HostState,
      local: this.local.get(host),
    }));
  }
}
