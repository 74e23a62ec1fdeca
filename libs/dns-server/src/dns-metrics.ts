import type { Registry } from 'prom-client';
import { DROP_REASONS, LATENCY_BUCKETS, QTYPE_LABELS, RCODE_LABELS, StatsView, TcpCounter, TRANSPORTS } from './query-stats';
import type { StatsSource } from './stats-source';
import type { SourceState, ZoneFeed } from './zone-feed';

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/**
 * A metric whose samples are computed at scrape time. prom-client's own metric classes are
 * updated per observation with label hashing; the query path instead counts into a typed
 * array (QueryStats) and this turns the (summed) array into series when Prometheus asks.
 */
class CollectedMetric {
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: readonly string[],
    private readonly samples: () => Promise<Sample[]> | Sample[],
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, values: await this.samples(), aggregator: this.aggregator };
  }
}

export interface DnsMetricsOptions {
  registry: Registry;
  stats: StatsSource;
  feed: ZoneFeed;
  /** Live worker processes (0 when the primary serves itself) and restarts so far. */
  workers: () => { live: number; restarts: number };
  now?: () => number;
}

const SOURCE_STATES: readonly SourceState[] = ['none', 'file', 'connecting', 'synced', 'disconnected'];

/** Registers every meridian_dns_* metric on the injected registry. */
export function registerDnsMetrics(options: DnsMetricsOptions): void {
  const { registry, feed } = options;
  const now = options.now ?? Date.now;
  // One gather per scrape: every metric below reads the same summed array.
  let cached: { at: number; view: Promise<StatsView> } | undefined;
  const view = (): Promise<StatsView> => {
    const t = now();
    if (!cached || t - cached.at > 100) cached = { at: t, view: options.stats.collectStats().then((v) => new StatsView(v)) };
    return cached.view;
  };
  const add = (metric: CollectedMetric) => registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);

  add(
    new CollectedMetric('meridian_dns_queries_total', 'DNS requests answered, by transport, question type and response code.', 'counter', ['transport', 'qtype', 'rcode'], async () => {
      const v = await view();
      const samples: Sample[] = [];
      TRANSPORTS.forEach((transport, t) =>
        QTYPE_LABELS.forEach((qtype, q) =>
          RCODE_LABELS.forEach((rcode, r) => {
            const value = v.query(t, q, r);
            if (value > 0) samples.push({ labels: { transport, qtype, rcode }, value });
          }),
        ),
      );
      return samples;
    }),
  );
  add(
    new CollectedMetric('meridian_dns_query_duration_seconds', 'Time from reading a request to handing its reply to the socket.', 'histogram', ['transport'], async () => {
      const v = await view();
      const samples: Sample[] = [];
      TRANSPORTS.forEach((transport, t) => {
        const { buckets, sum, count } = v.latency(t);
        let cumulative = 0;
        buckets.forEach((n, i) => {
          cumulative += n;
          const le = i < LATENCY_BUCKETS.length ? (LATENCY_BUCKETS[i] as number) : '+Inf';
          samples.push({ metricName: 'meridian_dns_query_duration_seconds_bucket', labels: { le, transport }, value: cumulative });
        });
        samples.push({ metricName: 'meridian_dns_query_duration_seconds_sum', labels: { transport }, value: sum });
        samples.push({ metricName: 'meridian_dns_query_duration_seconds_count', labels: { transport }, value: count });
      });
      return samples;
    }),
  );
  add(
    new CollectedMetric('meridian_dns_responses_truncated_total', 'UDP replies sent with TC set because they exceeded the client buffer.', 'counter', [], async () => [
      { labels: {}, value: (await view()).truncatedTotal },
    ]),
  );
  add(
    new CollectedMetric('meridian_dns_packets_dropped_total', 'Packets not answered: unreadable header, a response sent to us, or a failed send.', 'counter', ['reason'], async () => {
      const v = await view();
      return DROP_REASONS.map((reason, i) => ({ labels: { reason }, value: v.dropped(i) }));
    }),
  );
  add(new CollectedMetric('meridian_dns_tcp_connections', 'Open DNS-over-TCP connections.', 'gauge', [], async () => [{ labels: {}, value: (await view()).tcp(TcpCounter.OPEN) }]));
  add(
    new CollectedMetric('meridian_dns_tcp_connections_rejected_total', 'TCP connections closed at once because the connection cap was reached.', 'counter', [], async () => [
      { labels: {}, value: (await view()).tcp(TcpCounter.REJECTED) },
    ]),
  );
  add(
    new CollectedMetric('meridian_dns_tcp_idle_closed_total', 'TCP connections closed by the idle timeout.', 'counter', [], async () => [
      { labels: {}, value: (await view()).tcp(TcpCounter.IDLE_CLOSED) },
    ]),
  );
  add(
    new CollectedMetric('meridian_dns_tcp_reads_paused_total', 'Times a TCP connection stopped reading because its in-flight query cap was reached.', 'counter', [], async () => [
      { labels: {}, value: (await view()).tcp(TcpCounter.PAUSED) },
    ]),
  );
  add(new CollectedMetric('meridian_dns_zone_version', 'Version of the zone data served (the SOA serial is this modulo 2^32).', 'gauge', [], () => [{ labels: {}, value: feed.version }]));
  add(
    new CollectedMetric('meridian_dns_zone_age_seconds', 'Seconds since the source (records, or the snapshot file) last confirmed the served data; 0 before any data.', 'gauge', [], () => {
      const confirmed = feed.confirmedAtMs;
      return [{ labels: {}, value: confirmed === undefined ? 0 : Math.max(0, (now() - confirmed) / 1000) }];
    }),
  );
  add(new CollectedMetric('meridian_dns_zones', 'Zones served.', 'gauge', [], () => [{ labels: {}, value: feed.state.zones.size }]));
  add(
    new CollectedMetric('meridian_dns_subscription_state', 'Where the zone data comes from: 1 for the current state (none, file, connecting, synced, disconnected).', 'gauge', ['state'], () =>
      SOURCE_STATES.map((state) => ({ labels: { state }, value: feed.sourceState === state ? 1 : 0 })),
    ),
  );
  add(new CollectedMetric('meridian_dns_workers', 'DNS worker processes listening (0 when the primary answers itself).', 'gauge', [], () => [{ labels: {}, value: options.workers().live }]));
  add(
    new CollectedMetric('meridian_dns_worker_restarts_total', 'DNS worker processes that died and were replaced.', 'counter', [], () => [{ labels: {}, value: options.workers().restarts }]),
  );
}
