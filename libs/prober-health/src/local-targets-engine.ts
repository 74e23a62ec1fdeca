import { sortProblems, type FieldProblem, type GslbModel, type ModelCache, type ResourceStore, type SpecProblem, type TargetAddress } from '@meridian/gslb-resources';
import type { Logger } from '@meridian/logging';
import type { HostHealth, LocalTargetsDelta, LocalTargetsSnapshot, TargetHealth } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import type { CheckScheduler } from './check-scheduler';
import type { CheckSpec } from './check-spec';
import type { Clock } from './clock';
import { desiredHosts, type DesiredHost, type DesiredHostsOptions } from './desired-hosts';
import { hostHealth, targetHealth, type Health } from './health-state';
import type { ProberMetrics } from './prober-metrics';
import type { ProbeEndpoint, ProbeResult, ProbeSession, ProberRegistry } from './probers/prober';
import { judgeReadiness, type Readiness } from './readiness';
import { consecutive, INITIAL_RISE_FALL, judge, type RiseFallState } from './rise-fall';
import { checkResultToProto, healthToProto, problemToProto, strategyToProto, targetToProto } from './to-proto';

export interface LocalTargetsEngineOptions {
  /** This region's geotag. */
  region: string;
  store: ResourceStore;
  cache: ModelCache;
  hosts: DesiredHostsOptions;
  probers: ProberRegistry;
  scheduler: CheckScheduler;
  clock: Clock;
  logger: Logger;
  metrics?: ProberMetrics;
  /** Deltas kept for resuming subscribers. */
  historyLimit?: number;
  /** Seeds the stream's versions (for example from the start time) so they never go backwards across restarts. */
  initialVersion?: number;
}

/** One scheduled check against one endpoint, with its rise/fall state and last result. */
interface CheckInstance {
  key: string;
  host: string;
  check: CheckSpec;
  fingerprint: string;
  endpoint: ProbeEndpoint;
  /** Addresses of the targets its result applies to. */
  covers: Set<string>;
  state: RiseFallState;
  last?: { passed: boolean; message: string; observedAtMs: number; latencyMs: number };
  session: ProbeSession;
}

interface TargetRuntime {
  target: TargetAddress;
  health: Health;
  changedAtMs: number;
  /** Keys of the check instances that judge it. */
  checks: string[];
}

interface HostRuntime {
  desired: DesiredHost;
  fingerprint: string;
  readiness: Readiness;
  readinessAtMs: number;
  targets: Map<string, TargetRuntime>;
  /** Keys of the check instances of this host. */
  instanceKeys: Set<string>;
  health: Health;
}

/**
 * The local-targets store: for every GSLB host of the region, its targets, their readiness
 * (k8gb's rule) and active checks (rise/fall), published as a snapshot-then-delta stream.
 * A check result that changes a target's health publishes a delta with that host at once,
 * from the result's own callback: there is no polling loop between a probe and its subscribers.
 * Changes of the resources are coalesced per event-loop turn and published the same way.
 */
export class LocalTargetsEngine {
  readonly stream: VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>;
  private readonly hostRuntimes = new Map<string, HostRuntime>();
  private readonly instances = new Map<string, CheckInstance>();
  private readonly annotationChecks = new WeakMap<GslbModel, { checks: CheckSpec[]; problems: FieldProblem[] }>();
  private problems: SpecProblem[] = [];
  private reconcileScheduled: NodeJS.Immediate | undefined;
  private judgedListeners: (() => void)[] = [];
  private judged = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly options: LocalTargetsEngineOptions) {
    this.log = options.logger.child({ component: 'local-targets' });
    this.stream = new VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>({
      snapshot: () => this.snapshot(),
      historyLimit: options.historyLimit ?? 1024,
      ...(options.initialVersion !== undefined ? { initialVersion: options.initialVersion } : {}),
    });
    options.metrics?.bind({
      targetsByHealth: () => this.targetsByHealth(),
      hostCount: () => this.hostRuntimes.size,
      checkInstances: () => this.instances.size,
      inFlight: () => options.scheduler.running,
      queued: () => options.scheduler.waiting,
      gslbHostHealth: () => this.gslbHostHealth(),
      localTargets: () => this.localTargets(),
      problemsBySource: () => this.problemsBySource(),
      version: () => this.stream.version,
    });
  }

  /** Follows the store from now on; reconciles at once with what it holds. */
  start(): void {
    // Nothing is judged from a partial first load (a Gslb listed before its Ingress would be a
    // false problem); the first sync is applied at once, so readiness follows it in the same turn.
    this.options.store.onChange((change) => {
      if (change.synced) this.reconcile();
      else if (this.options.store.isInitiallySynced()) this.scheduleReconcile();
    });
    this.reconcile();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconcileScheduled) clearImmediate(this.reconcileScheduled);
    for (const instance of this.instances.values()) this.dropInstance(instance);
  }

  /** Called once, when the store has synced and every target has been judged. */
  onJudged(listener: () => void): void {
    if (this.judged) listener();
    else this.judgedListeners.push(listener);
  }

  /** The current state of one host, as subscribers see it. */
  host(host: string): HostHealth | undefined {
    const runtime = this.hostRuntimes.get(host);
    return runtime ? this.toHostHealth(runtime) : undefined;
  }

  snapshot(): LocalTargetsSnapshot {
    const hosts = [...this.hostRuntimes.keys()].sort().map((h) => this.toHostHealth(this.hostRuntimes.get(h) as HostRuntime));
    return { region: this.options.region, hosts, problems: this.problems.map(problemToProto) };
  }

  /** Recomputes every host from the store now (normally done once per event-loop turn after changes). */
  reconcile(): void {
    if (this.stopped) return;
    this.reconcileScheduled = undefined;
    const now = this.options.clock.now();
    const { store, cache } = this.options;
    const desired = desiredHosts(store, cache, this.options.hosts, this.annotationChecks);
    const problems = sortProblems([...store.sourceProblems(), ...desired.problems]);
    const problemsChanged = JSON.stringify(problems) !== JSON.stringify(this.problems);
    if (problemsChanged) {
      const fresh = problems.filter((p) => !this.problems.some((q) => JSON.stringify(q) === JSON.stringify(p)));
      for (const p of fresh) this.log.warn('resource problem', { ...p });
      this.problems = problems;
    }

    const dirty = new Set<string>();
    const removed: string[] = [];
    for (const [host, runtime] of this.hostRuntimes) {
      if (desired.hosts.has(host)) continue;
      for (const key of runtime.instanceKeys) this.dropInstance(this.instances.get(key));
      this.hostRuntimes.delete(host);
      removed.push(host);
    }
    for (const [host, want] of desired.hosts) {
      const fingerprint = hostFingerprint(want);
      let runtime = this.hostRuntimes.get(host);
      const readiness = judgeReadiness(want.services, want.policy, store, cache);
      if (!runtime) {
        runtime = { desired: want, fingerprint, readiness, readinessAtMs: now, targets: new Map(), instanceKeys: new Set(), health: 'unspecified' };
        this.hostRuntimes.set(host, runtime);
        dirty.add(host);
      } else {
        if (runtime.fingerprint !== fingerprint) dirty.add(host);
        if (runtime.readiness.health !== readiness.health || runtime.readiness.message !== readiness.message) {
          if (runtime.readiness.health !== readiness.health) this.log.info('readiness changed', { host, from: runtime.readiness.health, to: readiness.health, reason: readiness.message });
          runtime.readiness = readiness;
          runtime.readinessAtMs = now;
          dirty.add(host);
        }
        runtime.desired = want;
        runtime.fingerprint = fingerprint;
      }
      this.syncChecks(runtime, now);
      if (this.rejudge(runtime, now)) dirty.add(host);
    }
    this.publish([...dirty], removed, problemsChanged);
    this.checkJudged();
  }

  private scheduleReconcile(): void {
    if (this.stopped || this.reconcileScheduled) return;
    this.reconcileScheduled = setImmediate(() => this.reconcile());
  }

  /** Creates, keeps or drops check instances so they match the host's targets and checks. */
  private syncChecks(runtime: HostRuntime, now: number): void {
    const want = runtime.desired;
    const wanted = new Map<string, { check: CheckSpec; endpoint: ProbeEndpoint; covers: Set<string> }>();
    for (const check of want.checks) {
      const covered = want.targets.filter((t) => check.families.includes(t.family));
      if (covered.length === 0) continue;
      if (check.endpoint) {
        const key = `${want.host}|${check.name}|@${check.endpoint.host}:${check.endpoint.port}`;
        wanted.set(key, { check, endpoint: { host: check.endpoint.host, port: check.endpoint.port, gslbHost: want.host }, covers: new Set(covered.map((t) => t.address)) });
      } else {
        for (const t of covered) {
          wanted.set(`${want.host}|${check.name}|${t.address}`, { check, endpoint: { host: t.address, port: check.port, gslbHost: want.host }, covers: new Set([t.address]) });
        }
      }
    }
    for (const key of runtime.instanceKeys) {
      if (!wanted.has(key)) this.dropInstance(this.instances.get(key));
    }
    runtime.instanceKeys = new Set(wanted.keys());
    for (const [key, w] of wanted) {
      const fingerprint = JSON.stringify([w.check, w.endpoint]);
      const existing = this.instances.get(key);
      if (existing && existing.fingerprint === fingerprint) {
        existing.covers = w.covers;
        continue;
      }
      if (existing) this.dropInstance(existing);
      const instance: CheckInstance = {
        key,
        host: want.host,
        check: w.check,
        fingerprint,
        endpoint: w.endpoint,
        covers: w.covers,
        state: INITIAL_RISE_FALL,
        session: this.options.probers.open(w.check, w.endpoint),
      };
      this.instances.set(key, instance);
      this.options.scheduler.add({
        id: key,
        intervalMs: w.check.intervalMs,
        jitter: w.check.jitter,
        run: async () => {
          const result = await instance.session.probe();
          this.onResult(instance, result);
        },
      });
    }
    // Which instances judge each target.
    const targets = new Map<string, TargetRuntime>();
    for (const t of want.targets) {
      const previous = runtime.targets.get(t.address);
      const checks = [...wanted.entries()].filter(([, w]) => w.covers.has(t.address)).map(([key]) => key);
      targets.set(t.address, previous ? { ...previous, target: t, checks } : { target: t, health: 'unspecified', changedAtMs: now, checks });
    }
    runtime.targets = targets;
  }

  private onResult(instance: CheckInstance, result: ProbeResult): void {
    if (this.stopped || this.instances.get(instance.key) !== instance) return;
    const now = this.options.clock.now();
    const before = instance.state.verdict;
    instance.state = judge(instance.state, result.passed, instance.check);
    instance.last = { passed: result.passed, message: result.message, observedAtMs: now, latencyMs: result.latencyMs };
    this.options.metrics?.probed(instance.check.type, result.passed, result.latencyMs, result.reason);
    if (instance.state.verdict !== before && before !== 'unknown') {
      this.log.info('check verdict changed', { host: instance.host, check: instance.check.name, endpoint: `${instance.endpoint.host}:${instance.endpoint.port}`, from: before, to: instance.state.verdict, reason: result.message });
    }
    const runtime = this.hostRuntimes.get(instance.host);
    if (runtime && this.rejudge(runtime, now)) this.publish([instance.host], [], false);
    if (!this.judged) this.checkJudged();
  }

  /** Recomputes each target's health and the host's; true when anything changed. */
  private rejudge(runtime: HostRuntime, now: number): boolean {
    let changed = false;
    for (const t of runtime.targets.values()) {
      const verdicts = t.checks.map((k) => this.instances.get(k)?.state.verdict ?? 'unknown');
      const health = targetHealth(runtime.readiness.health, verdicts);
      if (health === t.health) continue;
      if (t.health !== 'unspecified') {
        this.options.metrics?.transition(t.health, health, runtime.desired.gslb);
        this.log.info('target health changed', { host: runtime.desired.host, target: t.target.address, from: t.health, to: health });
      }
      t.health = health;
      t.changedAtMs = now;
      changed = true;
    }
    const host = hostHealth(runtime.readiness.health, [...runtime.targets.values()].map((t) => t.health));
    if (host !== runtime.health) {
      runtime.health = host;
      changed = true;
    }
    return changed;
  }

  private publish(upsertedHosts: string[], removedHosts: string[], problemsChanged: boolean): void {
    if (upsertedHosts.length === 0 && removedHosts.length === 0 && !problemsChanged) return;
    const upserted = upsertedHosts.sort().map((h) => this.toHostHealth(this.hostRuntimes.get(h) as HostRuntime));
    this.stream.publish({
      upserted,
      removedHosts: removedHosts.sort(),
      problems: problemsChanged ? this.problems.map(problemToProto) : [],
      problemsChanged,
    });
    this.options.metrics?.published();
  }

  private toHostHealth(runtime: HostRuntime): HostHealth {
    const want = runtime.desired;
    const readinessResult = checkResultToProto({
      check: 'readiness',
      passed: runtime.readiness.health === 'healthy',
      message: runtime.readiness.message,
      observedAtMs: runtime.readinessAtMs,
      latencyMs: 0,
      consecutive: 1,
    });
    const targets: TargetHealth[] = [...runtime.targets.values()].map((t) => ({
      target: targetToProto(t.target),
      state: healthToProto(t.health),
      checks: [
        readinessResult,
        ...t.checks.map((key) => {
          const instance = this.instances.get(key);
          const last = instance?.last;
          return checkResultToProto({
            check: instance?.check.name ?? key,
            passed: last?.passed ?? false,
            message: last ? `${last.message} (${instance?.endpoint.host}:${instance?.endpoint.port}); verdict ${instance?.state.verdict}` : 'not probed yet',
            observedAtMs: last?.observedAtMs,
            latencyMs: last?.latencyMs ?? 0,
            consecutive: instance ? consecutive(instance.state) : 0,
          });
        }),
      ],
      changedAt: new Date(t.changedAtMs),
    }));
    return {
      host: want.host,
      region: this.options.region,
      spec: { host: want.host, gslb: want.gslb.id, strategy: strategyToProto(want.gslb.strategy) },
      serviceHealth: healthToProto(runtime.health),
      targets,
      observedAt: new Date(this.options.clock.now()),
    };
  }

  private dropInstance(instance: CheckInstance | undefined): void {
    if (!instance) return;
    this.options.scheduler.remove(instance.key);
    this.instances.delete(instance.key);
    instance.session.close();
  }

  private checkJudged(): void {
    if (this.judged || !this.options.store.isInitiallySynced()) return;
    for (const runtime of this.hostRuntimes.values()) {
      for (const t of runtime.targets.values()) if (t.health === 'unspecified') return;
    }
    this.judged = true;
    this.log.info('every target judged', { hosts: this.hostRuntimes.size, version: this.stream.version });
    for (const listener of this.judgedListeners.splice(0)) listener();
  }

  private targetsByHealth(): Record<Health, number> {
    const counts: Record<Health, number> = { healthy: 0, unhealthy: 0, notFound: 0, unspecified: 0 };
    for (const runtime of this.hostRuntimes.values()) for (const t of runtime.targets.values()) counts[t.health]++;
    return counts;
  }

  private gslbHostHealth(): { namespace: string; name: string; healthy: number; unhealthy: number; notFound: number }[] {
    const byGslb = new Map<string, { namespace: string; name: string; healthy: number; unhealthy: number; notFound: number }>();
    for (const runtime of this.hostRuntimes.values()) {
      const g = runtime.desired.gslb;
      const entry = byGslb.get(g.id) ?? { namespace: g.namespace, name: g.name, healthy: 0, unhealthy: 0, notFound: 0 };
      if (runtime.health === 'healthy') entry.healthy++;
      else if (runtime.health === 'notFound') entry.notFound++;
      else if (runtime.health === 'unhealthy') entry.unhealthy++;
      byGslb.set(g.id, entry);
    }
    return [...byGslb.values()];
  }

  private localTargets(): { namespace: string; name: string; host: string; healthy: number }[] {
    return [...this.hostRuntimes.values()].map((r) => ({
      namespace: r.desired.gslb.namespace,
      name: r.desired.gslb.name,
      host: r.desired.host,
      healthy: [...r.targets.values()].filter((t) => t.health === 'healthy').length,
    }));
  }

  private problemsBySource(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const p of this.problems) {
      const source = p.source.startsWith('file:') ? 'file' : p.source;
      counts[source] = (counts[source] ?? 0) + 1;
    }
    return counts;
  }
}

function hostFingerprint(host: DesiredHost): string {
  return JSON.stringify([host.gslb.id, host.gslb.strategy, host.services, host.policy, host.targets, host.checks]);
}
