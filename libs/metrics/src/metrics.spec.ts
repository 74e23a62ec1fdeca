import { nullLogger } from '@meridian/logging';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { lintMetricNames } from './metric-name-lint';
import { MetricsServer } from './metrics-server';
import { Readiness } from './readiness';
import { parseExposition } from './parse-exposition';
import { createMetricsRegistry } from './registry';

describe('lintMetricNames', () => {
  it('accepts the runtime metrics and well-named service metrics', () => {
    const registry = createMetricsRegistry();
    new Counter({ name: 'meridian_dns_queries_total', help: 'DNS queries answered', labelNames: ['qtype', 'rcode'], registers: [registry] });
    new Gauge({ name: 'k8gb_gslb_healthy_records', help: 'Healthy records per host', registers: [registry] });
    new Histogram({ name: 'meridian_dns_query_duration_seconds', help: 'Time to answer a query', registers: [registry] });
    expect(lintMetricNames(registry, 'dns')).toEqual([]);
  });

  it.each([
    ['dns_queries_total', 'counter', /must start with/],
    ['meridian_dns_queries', 'counter', /must end in _total/],
    ['meridian_dns_zone_version_total', 'gauge', /not a counter/],
    ['meridian_dns_latency', 'histogram', /needs a unit/],
    ['meridian_dns_Queries_total', 'counter', /snake_case/],
  ])('flags %s (%s)', (name, type, problem) => {
    const registry = new Registry();
    const help = 'something measured here';
    if (type === 'counter') new Counter({ name, help, registers: [registry] });
    if (type === 'gauge') new Gauge({ name, help, registers: [registry] });
    if (type === 'histogram') new Histogram({ name, help, registers: [registry] });
    expect(lintMetricNames(registry, 'dns').map((p) => p.problem)).toContainEqual(expect.stringMatching(problem));
  });

  it('flags a missing help text and a bad label name', () => {
    const registry = new Registry();
    new Gauge({ name: 'meridian_records_zone_version', help: 'v', labelNames: ['zoneName'], registers: [registry] });
    expect(lintMetricNames(registry, 'records').map((p) => p.problem)).toEqual([
      'needs a help text that says what it measures',
      'label "zoneName" must be snake_case',
    ]);
  });
});

describe('MetricsServer', () => {
  it('serves /metrics, /healthz and /readyz that follows the readiness conditions', async () => {
    const registry = createMetricsRegistry({ runtimeMetrics: false });
    new Gauge({ name: 'meridian_dns_zone_version', help: 'Zone version served', registers: [registry] }).set(42);
    const readiness = new Readiness();
    readiness.set('zone', false, 'waiting for the first snapshot');
    const server = MetricsServer.create({ host: '127.0.0.1', port: 0, registry, readiness, logger: nullLogger });
    const port = await server.start();
    try {
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('meridian_dns_zone_version 42');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ready: false, conditions: [{ name: 'zone', detail: 'waiting for the first snapshot' }] });
      readiness.set('zone', true);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      readiness.markDraining();
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.stop();
    }
  });
});

describe('parseExposition', () => {
  it('reads back names, types, help and label names from a scrape', async () => {
    const registry = createMetricsRegistry({ runtimeMetrics: false });
    new Counter({ name: 'meridian_dns_queries_total', help: 'DNS queries answered', labelNames: ['qtype'], registers: [registry] }).inc({ qtype: 'A' });
    new Histogram({ name: 'meridian_dns_query_duration_seconds', help: 'Time to answer', labelNames: ['proto'], registers: [registry] }).observe({ proto: 'udp' }, 0.001);
    expect(parseExposition(await registry.metrics())).toEqual([
      { name: 'meridian_dns_queries_total', type: 'counter', help: 'DNS queries answered', labelNames: ['qtype'] },
      { name: 'meridian_dns_query_duration_seconds', type: 'histogram', help: 'Time to answer', labelNames: ['proto'] },
    ]);
  });
});
