import { createMetricsRegistry, lintMetricNames, parseExposition } from '@meridian/metrics';
import { zone } from '../test/support/zone';
import { registerDnsMetrics } from './dns-metrics';
import { QueryStats } from './query-stats';
import { ZoneFeed } from './zone-feed';

describe('dns metrics', () => {
  function setup() {
    const registry = createMetricsRegistry({ runtimeMetrics: false });
    const stats = new QueryStats();
    let now = 10_000;
    const feed = new ZoneFeed(() => now);
    registerDnsMetrics({ registry, stats: { collectStats: async () => Float64Array.from(stats.values) }, feed, workers: () => ({ live: 2, restarts: 1 }), now: () => now });
    return { registry, stats, feed, tick: (ms: number) => (now += ms) };
  }

  it('passes the metric-name lint', () => {
    expect(lintMetricNames(setup().registry, 'dns')).toEqual([]);
  });

  it('turns the counters into series at scrape time, with a valid histogram', async () => {
    const { registry, stats, feed, tick } = setup();
    stats.query(0, 0, 3);
    stats.query(0, 0, 3);
    stats.query(1, 6, 0);
    stats.truncated();
    stats.latency(0, 0.00002);
    stats.latency(0, 0.2);
    feed.apply({ kind: 'snapshot', epoch: 'e', version: 5, snapshot: { zones: [zone()] } });
    feed.setSource('synced', 'records x');
    tick(2500);
    const text = await registry.metrics();
    expect(text).toContain('meridian_dns_queries_total{transport="udp",qtype="A",rcode="NXDOMAIN"} 2');
    expect(text).toContain('meridian_dns_queries_total{transport="tcp",qtype="ANY",rcode="NOERROR"} 1');
    expect(text).toContain('meridian_dns_responses_truncated_total 1');
    expect(text).toContain('meridian_dns_query_duration_seconds_bucket{le="0.000025",transport="udp"} 1');
    expect(text).toContain('meridian_dns_query_duration_seconds_bucket{le="+Inf",transport="udp"} 2');
    expect(text).toContain('meridian_dns_query_duration_seconds_count{transport="udp"} 2');
    expect(text).toContain('meridian_dns_zone_version 5');
    expect(text).toContain('meridian_dns_zone_age_seconds 2.5');
    expect(text).toContain('meridian_dns_subscription_state{state="synced"} 1');
    expect(text).toContain('meridian_dns_workers 2');
    expect(parseExposition(text).length).toBeGreaterThan(10);
  });
});
