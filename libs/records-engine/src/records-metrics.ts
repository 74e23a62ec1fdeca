import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HostAnswerSummary } from './host-answer-summary';

/** The states an input stream can be in, as `meridian_records_input_state` reports them. */
export const INPUT_STATES = ['disabled', 'connecting', 'synced', 'disconnected', 'stopped'] as const;
export type InputState = (typeof INPUT_STATES)[number];
export type InputName = 'prober' | 'peer_sync' | 'witness';

/** What k8gb's metrics say about one Gslb. */
export interface GslbMetricsView {
  readonly namespace: string;
  readonly name: string;
  readonly healthyRecords: number;
  /** Hosts per k8gb serviceHealth value. */
  readonly hostsByHealth: Readonly<Record<'Healthy' | 'Unhealthy' | 'NotFound', number>>;
  /** k8gb's per-strategy status counts: targets answered, by the local health (and role for failover). */
  readonly strategyCounts: readonly { strategy: 'failover' | 'roundrobin' | 'geoip'; status: string; value: number }[];
}

/**
 * records' metrics: Meridian's own (`meridian_records_*`) and k8gb's names and labels
 * (`k8gb_gslb_*`, as in k8gb's controllers/providers/metrics/prometheus.go) so existing
 * dashboards and alerts keep working.
 */
export class RecordsMetrics {
  readonly zoneVersion: Gauge;
  readonly deltasPublished: Counter;
  readonly changesPublished: Counter;
  readonly watchMessages: Counter<'kind'>;
  readonly subscribers: Gauge;
  readonly computeSeconds: Histogram;
  readonly hosts: Gauge<'state'>;
  readonly failOpenHosts: Gauge;
  readonly inputState: Gauge<'input' | 'state'>;
  readonly witnessHeartbeats: Counter;
  readonly zoneNames: Gauge;
  readonly k8gbHealthyRecords: Gauge<'namespace' | 'name'>;
  readonly k8gbServiceStatus: Gauge<'namespace' | 'name' | 'status'>;
  readonly k8gbStatusCount: Readonly<Record<'failover' | 'roundrobin' | 'geoip', Gauge<'namespace' | 'name' | 'status'>>>;
  readonly k8gbErrors: Counter<'namespace' | 'name'>;
  readonly k8gbReconciliations: Counter;
  readonly hostAnswerDigest: Gauge<'host'>;
  readonly hostHealthyTargets: Gauge<'host'>;
  readonly hostRegionUsed: Gauge<'host' | 'region'>;
  private readonly hostRegions = new Map<string, readonly string[]>();
  private readonly gslbLabels = new Map<string, { namespace: string; name: string; statuses: Map<string, string> }>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.zoneVersion = new Gauge({ name: 'meridian_records_zone_version', help: 'The version of the zones served (the SOA serial follows it).', registers });
    this.deltasPublished = new Counter({ name: 'meridian_records_deltas_published_total', help: 'Zone deltas published to WatchZone subscribers.', registers });
    this.changesPublished = new Counter({ name: 'meridian_records_changes_published_total', help: 'Names changed or removed across all published zone deltas.', registers });
    this.watchMessages = new Counter({
      name: 'meridian_records_watch_messages_sent_total',
      help: 'WatchZone messages sent to subscribers, by kind (snapshot, delta, heartbeat).',
      labelNames: ['kind'],
      registers,
    });
    this.subscribers = new Gauge({ name: 'meridian_records_watch_subscribers', help: 'WatchZone streams currently open (DNS servers subscribed).', registers });
    this.computeSeconds = new Histogram({
      name: 'meridian_records_compute_seconds',
      help: 'Time to recompute the changed hosts and publish a zone delta.',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.hosts = new Gauge({ name: 'meridian_records_hosts', help: 'GSLB hosts known, by state: served, or unserved (outside every zone or no usable spec).', labelNames: ['state'], registers });
    this.failOpenHosts = new Gauge({ name: 'meridian_records_fail_open_hosts', help: 'Hosts answering every target because none is healthy (whenAllUnhealthy: failOpen).', registers });
    this.inputState = new Gauge({
      name: 'meridian_records_input_state',
      help: 'State of each input stream (prober, peer_sync, witness): 1 for the current state, 0 for the others.',
      labelNames: ['input', 'state'],
      registers,
    });
    this.witnessHeartbeats = new Counter({ name: 'meridian_records_witness_heartbeats_total', help: 'Witness heartbeat TXT records published.', registers });
    this.zoneNames = new Gauge({ name: 'meridian_records_zone_names', help: 'Names held by the served zones (hosts, localtargets, witness records).', registers });
    this.k8gbHealthyRecords = new Gauge({ name: 'k8gb_gslb_healthy_records', help: 'Number of healthy records observed by K8GB.', labelNames: ['namespace', 'name'], registers });
    this.k8gbServiceStatus = new Gauge({ name: 'k8gb_gslb_service_status_num', help: 'Number of managed hosts observed by K8GB.', labelNames: ['namespace', 'name', 'status'], registers });
    this.k8gbStatusCount = {
      failover: new Gauge({ name: 'k8gb_gslb_status_count_for_failover', help: 'Gslb status count for Failover strategy.', labelNames: ['namespace', 'name', 'status'], registers }),
      roundrobin: new Gauge({ name: 'k8gb_gslb_status_count_for_roundrobin', help: 'Gslb status count for RoundRobin strategy.', labelNames: ['namespace', 'name', 'status'], registers }),
      geoip: new Gauge({ name: 'k8gb_gslb_status_count_for_geoip', help: 'Gslb status count for GeoIP strategy.', labelNames: ['namespace', 'name', 'status'], registers }),
    };
    this.k8gbErrors = new Counter({ name: 'k8gb_gslb_errors_total', help: 'Number of errors', labelNames: ['namespace', 'name'], registers });
    this.k8gbReconciliations = new Counter({ name: 'k8gb_gslb_reconciliation_loops_total', help: 'Number of successful reconciliation loops.', registers });
    // Per host, set when a host is re-planned (never per DNS query).
    this.hostAnswerDigest = new Gauge({
      name: 'meridian_records_host_answer_digest',
      help: "A 32-bit digest of the host's answer (its distinct address sets); regions that agree export the same value.",
      labelNames: ['host'],
      registers,
    });
    this.hostHealthyTargets = new Gauge({ name: 'meridian_records_host_healthy_targets', help: "Healthy addresses in the host's answer (0 when failing open or empty).", labelNames: ['host'], registers });
    this.hostRegionUsed = new Gauge({ name: 'meridian_records_host_region_used', help: "1 for each region whose targets are in the host's answer, 0 for a known region that is not.", labelNames: ['host', 'region'], registers });
    for (const input of ['prober', 'peer_sync', 'witness'] as const) this.setInputState(input, 'disabled');
  }

  /**
   * Sets a host's answer series; undefined removes them (the host is gone or not served).
   * `regions` are every region known for the host, so an unused one reads 0, not absent.
   */
  setHostAnswer(host: string, summary: HostAnswerSummary | undefined, regions: readonly string[] = []): void {
    const previous = this.hostRegions.get(host) ?? [];
    if (summary === undefined) {
      if (!this.hostRegions.has(host)) return;
      this.hostAnswerDigest.remove({ host });
      this.hostHealthyTargets.remove({ host });
      for (const region of previous) this.hostRegionUsed.remove({ host, region });
      this.hostRegions.delete(host);
      return;
    }
    this.hostAnswerDigest.set({ host }, summary.digest);
    this.hostHealthyTargets.set({ host }, summary.healthyTargets);
    const all = [...new Set([...regions, ...summary.regionsUsed])].sort();
    for (const region of all) this.hostRegionUsed.set({ host, region }, summary.regionsUsed.includes(region) ? 1 : 0);
    for (const region of previous) if (!all.includes(region)) this.hostRegionUsed.remove({ host, region });
    this.hostRegions.set(host, all);
  }

  setInputState(input: InputName, state: InputState): void {
    for (const s of INPUT_STATES) this.inputState.set({ input, state: s }, s === state ? 1 : 0);
  }

  /** Sets k8gb's per-Gslb metrics; undefined removes a Gslb that no longer exists. */
  setGslb(key: string, view: GslbMetricsView | undefined): void {
    const previous = this.gslbLabels.get(key);
    if (view === undefined) {
      if (previous === undefined) return;
      const labels = { namespace: previous.namespace, name: previous.name };
      this.k8gbHealthyRecords.remove(labels);
      for (const status of ['Healthy', 'Unhealthy', 'NotFound']) this.k8gbServiceStatus.remove({ ...labels, status });
      for (const [status, strategy] of previous.statuses) this.k8gbStatusCount[strategy as 'failover'].remove({ ...labels, status });
      this.gslbLabels.delete(key);
      return;
    }
    const labels = { namespace: view.namespace, name: view.name };
    this.k8gbHealthyRecords.set(labels, view.healthyRecords);
    for (const [status, value] of Object.entries(view.hostsByHealth)) this.k8gbServiceStatus.set({ ...labels, status }, value);
    const statuses = new Map<string, string>();
    for (const { strategy, status, value } of view.strategyCounts) {
      this.k8gbStatusCount[strategy].set({ ...labels, status }, value);
      statuses.set(status, strategy);
    }
    for (const [status, strategy] of previous?.statuses ?? []) {
      if (statuses.get(status) !== strategy) this.k8gbStatusCount[strategy as 'failover'].remove({ ...labels, status });
    }
    this.gslbLabels.set(key, { ...labels, statuses });
  }

  gslbError(key: string): void {
    const [namespace, name] = splitGslbKey(key);
    this.k8gbErrors.inc({ namespace, name });
  }
}

/** `namespace/name` → [namespace, name]; a key without a slash has an empty namespace. */
export function splitGslbKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}
