import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CheckType } from './check-spec';
import type { Health } from './health-state';
import type { FailureReason } from './probers/prober';

/** What the metrics read at scrape time. */
export interface HealthStats {
  targetsByHealth(): Record<Health, number>;
  hostCount(): number;
  checkInstances(): number;
  inFlight(): number;
  queued(): number;
  /** Per Gslb: hosts by k8gb serviceHealth. */
  gslbHostHealth(): { namespace: string; name: string; healthy: number; unhealthy: number; notFound: number }[];
  /** Per host: healthy local targets (what k8gb's `localtargets-<host>` record holds). */
  localTargets(): { namespace: string; name: string; host: string; healthy: number }[];
  problemsBySource(): Record<string, number>;
  version(): number;
}

const K8GB_STATUS = { healthy: 'Healthy', unhealthy: 'Unhealthy', notFound: 'NotFound' } as const;

/**
 * The prober's metrics in an injected registry: `meridian_prober_*`, plus k8gb's
 * `k8gb_gslb_service_status_num` and `k8gb_endpoint_status_num` so existing dashboards work.
 */
export class ProberMetrics {
  private readonly checks: Counter<'type' | 'result'>;
  private readonly failures: Counter<'type' | 'reason'>;
  private readonly duration: Histogram<'type'>;
  private readonly startDelay: Histogram;
  private readonly transitions: Counter<'from' | 'to'>;
  private readonly flaps: Counter<'namespace' | 'name'>;
  private readonly publishes: Counter<'kind'>;
  private stats: HealthStats | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.checks = new Counter({ name: 'meridian_prober_checks_total', help: 'Active check probes run, by check type and result (pass or fail).', labelNames: ['type', 'result'], registers });
    this.failures = new Counter({ name: 'meridian_prober_check_failures_total', help: 'Failed probes by check type and reason (timeout, refused, dns, tls, status, body, ...).', labelNames: ['type', 'reason'], registers });
    this.duration = new Histogram({
      name: 'meridian_prober_check_duration_seconds',
      help: 'How long each probe took, by check type.',
      labelNames: ['type'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.startDelay = new Histogram({
      name: 'meridian_prober_check_start_delay_seconds',
      help: 'How late a probe started against its schedule: the timing drift from queueing at the concurrency cap and event-loop lag.',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.transitions = new Counter({ name: 'meridian_prober_target_transitions_total', help: 'Target health changes, by old and new state.', labelNames: ['from', 'to'], registers });
    this.flaps = new Counter({ name: 'meridian_prober_target_flaps_total', help: 'Targets that went from healthy to unhealthy or back, by Gslb.', labelNames: ['namespace', 'name'], registers });
    this.publishes = new Counter({ name: 'meridian_prober_stream_publishes_total', help: 'Versions published on WatchLocalTargets, by kind (delta).', labelNames: ['kind'], registers });

    const stats = () => this.stats;
    new Gauge({
      name: 'meridian_prober_targets',
      help: 'Local targets by health state.',
      labelNames: ['state'],
      registers,
      collect() {
        const s = stats();
        if (!s) return;
        for (const [state, n] of Object.entries(s.targetsByHealth())) this.set({ state }, n);
      },
    });
    new Gauge({ name: 'meridian_prober_hosts', help: 'GSLB hosts this region serves.', registers, collect() { this.set(stats()?.hostCount() ?? 0); } });
    new Gauge({ name: 'meridian_prober_check_instances', help: 'Scheduled checks (one per check and target, or per fixed endpoint).', registers, collect() { this.set(stats()?.checkInstances() ?? 0); } });
    new Gauge({ name: 'meridian_prober_checks_in_flight', help: 'Probes running now (bounded by checks.maxConcurrent).', registers, collect() { this.set(stats()?.inFlight() ?? 0); } });
    new Gauge({ name: 'meridian_prober_checks_queued', help: 'Probes that are due but wait for a free slot under checks.maxConcurrent.', registers, collect() { this.set(stats()?.queued() ?? 0); } });
    new Gauge({ name: 'meridian_prober_local_targets_version', help: 'The current version of the WatchLocalTargets stream.', registers, collect() { this.set(stats()?.version() ?? 0); } });
    new Gauge({
      name: 'meridian_prober_spec_problems',
      help: 'Resources (or parts) that could not be used, by source kind (file, kubernetes); see WatchLocalTargets problems.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const [source, n] of Object.entries(stats()?.problemsBySource() ?? {})) this.set({ source }, n);
      },
    });
    new Gauge({
      name: 'k8gb_gslb_service_status_num',
      help: 'Number of managed hosts observed by K8GB (k8gb-compatible): hosts per Gslb by serviceHealth.',
      labelNames: ['namespace', 'name', 'status'],
      registers,
      collect() {
        this.reset();
        for (const g of stats()?.gslbHostHealth() ?? []) {
          this.set({ namespace: g.namespace, name: g.name, status: K8GB_STATUS.healthy }, g.healthy);
          this.set({ namespace: g.namespace, name: g.name, status: K8GB_STATUS.unhealthy }, g.unhealthy);
          this.set({ namespace: g.namespace, name: g.name, status: K8GB_STATUS.notFound }, g.notFound);
        }
      },
    });
    new Gauge({
      name: 'k8gb_endpoint_status_num',
      help: 'Number of targets in DNS endpoint (k8gb-compatible): healthy local targets per localtargets-<host> name.',
      labelNames: ['namespace', 'name', 'dns_name'],
      registers,
      collect() {
        this.reset();
        for (const t of stats()?.localTargets() ?? []) this.set({ namespace: t.namespace, name: t.name, dns_name: `localtargets-${t.host}` }, t.healthy);
      },
    });
  }

  /** Connects the scrape-time gauges to the engine. */
  bind(stats: HealthStats): void {
    this.stats = stats;
  }

  probed(type: CheckType, passed: boolean, latencyMs: number, reason: FailureReason | undefined): void {
    this.checks.inc({ type, result: passed ? 'pass' : 'fail' });
    if (!passed) this.failures.inc({ type, reason: reason ?? 'error' });
    this.duration.observe({ type }, latencyMs / 1000);
  }

  started(delayMs: number): void {
    this.startDelay.observe(delayMs / 1000);
  }

  transition(from: Health, to: Health, gslb: { namespace: string; name: string }): void {
    this.transitions.inc({ from, to });
    if ((from === 'healthy' && to === 'unhealthy') || (from === 'unhealthy' && to === 'healthy')) this.flaps.inc({ namespace: gslb.namespace, name: gslb.name });
  }

  published(): void {
    this.publishes.inc({ kind: 'delta' });
  }
}
