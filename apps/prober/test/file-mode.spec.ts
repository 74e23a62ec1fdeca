import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintMetricDescriptors, parseExposition } from '@meridian/metrics';
import { AddressFamily, HealthState, StrategyType, WhenAllUnhealthy } from '@meridian/proto';
import { scrapeMetrics, startService, WORKSPACE_ROOT, type ServiceProcess } from '@meridian/testing';
import { parse } from 'yaml';
import { LocalTargetsWatcher } from './support/local-targets-watcher';
import { startSampleApp, type SampleApp } from './support/sample-app';

const CONFIG_DIR = join(WORKSPACE_ROOT, 'apps', 'prober', 'config');
const HOSTS = ['failover.gslb.example.com', 'geo.gslb.example.com', 'roundrobin.gslb.example.com', 'weighted.gslb.example.com'];
const INTERVAL_MS = 500;

/** The parts of an example config the tests change. */
interface ExampleConfig {
  grpc: unknown;
  metrics: unknown;
  source: { file: { paths: string[] } };
  checks: { defaults: Record<string, unknown>; hosts: { checks: { url: string }[] }[] };
}

/** The example config of a region, with its resources copied to `dir` and its sample app at `appPort`. */
function exampleConfig(region: 'eu' | 'us', dir: string, appPort: number, checkOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  const config = parse(readFileSync(join(CONFIG_DIR, `example-${region}.yaml`), 'utf8')) as ExampleConfig;
  const resources = join(dir, `resources-${region}.yaml`);
  copyFileSync(join(CONFIG_DIR, `resources-${region}.yaml`), resources);
  config.grpc = { host: '127.0.0.1', port: 0 };
  config.metrics = { host: '127.0.0.1', port: 0 };
  config.source.file.paths = [resources];
  const check = config.checks.hosts[0]?.checks[0] as { url: string };
  expect(check.url).toBe(`http://127.0.0.1:${region === 'eu' ? 18081 : 18082}/healthz`);
  check.url = `http://127.0.0.1:${appPort}/healthz`;
  Object.assign(config.checks.defaults, checkOverrides);
  return config as unknown as Record<string, unknown>;
}

const allHosts = (state: HealthState) => (w: LocalTargetsWatcher) =>
  w.hosts.size === 4 && [...w.hosts.values()].every((h) => h.targets.length === 2 && h.targets.every((t) => t.state === state));

describe('prober in file mode, with the demo config of region eu', () => {
  let app: SampleApp;
  let proc: ServiceProcess;
  let watcher: LocalTargetsWatcher;
  let dir: string;

  beforeAll(async () => {
    app = await startSampleApp();
    dir = mkdtempSync(join(tmpdir(), 'meridian-prober-file-'));
    // rise/fall 1 and no jitter: the first failed probe is the change, so the figure measured is the push.
    proc = await startService('prober', { config: exampleConfig('eu', dir, app.port, { intervalSeconds: INTERVAL_MS / 1000, timeoutSeconds: 0.2, rise: 1, fall: 1, jitter: 0 }) });
    watcher = new LocalTargetsWatcher(proc.grpcAddress);
  });

  afterAll(async () => {
    watcher?.close();
    await proc?.stop('SIGKILL');
    await app?.close();
  });

  it('serves the four demo hosts with their strategies and the eu targets, healthy', async () => {
    await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_HEALTHY), 'four healthy hosts');
    expect(watcher.region).toBe('eu');
    expect(watcher.problems).toEqual([]);
    expect([...watcher.hosts.keys()].sort()).toEqual(HOSTS);
    const spec = (host: string) => watcher.hosts.get(host)?.spec?.strategy;
    expect(spec('roundrobin.gslb.example.com')).toMatchObject({ type: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, weights: {}, dnsTtlSeconds: 30, whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY });
    expect(spec('failover.gslb.example.com')).toMatchObject({ type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu', 'us'] });
    expect(spec('geo.gslb.example.com')).toMatchObject({ type: StrategyType.STRATEGY_TYPE_GEOIP });
    expect(spec('weighted.gslb.example.com')).toMatchObject({ type: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, weights: { eu: 80, us: 20 } });
    for (const host of HOSTS) {
      const h = watcher.hosts.get(host);
      expect(h?.targets.map((t) => [t.target?.address, t.target?.family])).toEqual([
        ['192.0.2.10', AddressFamily.ADDRESS_FAMILY_IPV4],
        ['2001:db8:e::10', AddressFamily.ADDRESS_FAMILY_IPV6],
      ]);
      expect(h?.targets[0]?.checks.map((c) => [c.check, c.passed])).toEqual([
        ['readiness', true],
        ['sample-app', true],
      ]);
    }
  });

  it('pushes a health change to a WatchLocalTargets subscriber within one check interval plus 100 ms', async () => {
    await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_HEALTHY), 'four healthy hosts');
    app.setStatus(503);
    const down = (await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_UNHEALTHY), 'every target unhealthy')) - app.changedAt;
    app.setStatus(200);
    const up = (await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_HEALTHY), 'every target healthy again')) - app.changedAt;
    process.stdout.write(`health change → subscriber: down ${down} ms, up ${up} ms (interval ${INTERVAL_MS} ms)\n`);
    // The requirement is interval + 100 ms; the extra 400 ms is margin for a loaded CI machine.
    expect(down).toBeLessThanOrEqual(INTERVAL_MS + 100 + 400);
    expect(up).toBeLessThanOrEqual(INTERVAL_MS + 100 + 400);
    const failed = watcher.hosts.get('geo.gslb.example.com');
    expect(failed?.serviceHealth).toBe(HealthState.HEALTH_STATE_HEALTHY);
  });

  it('reloads the file: a broken document is reported while the other hosts keep working', async () => {
    const path = join(dir, 'resources-eu.yaml');
    const good = readFileSync(path, 'utf8');
    const broken = good.replace('type: geoip', 'type: geo-ip') + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: [oops\n';
    writeFileSync(path, broken);
    await watcher.waitFor((w) => w.problems.length >= 2 && w.hosts.size === 3, 'the problems of the broken file');
    expect(watcher.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: `file:${path}`, resource: 'Gslb/demo/geo', field: 'spec.strategy.type', message: expect.stringContaining('"geo-ip"') }),
        expect.objectContaining({ source: `file:${path}`, resource: 'document 8', message: expect.stringMatching(/YAML syntax error/) }),
      ]),
    );
    expect(watcher.hosts.has('geo.gslb.example.com')).toBe(false);
    expect([...watcher.hosts.values()].every((h) => h.serviceHealth === HealthState.HEALTH_STATE_HEALTHY)).toBe(true);
    const metrics = await scrapeMetrics(proc.metricsPort);
    expect(metrics).toMatch(/meridian_prober_spec_problems\{source="file"\} [2-9]/);
    writeFileSync(path, good);
    await watcher.waitFor((w) => w.problems.length === 0 && w.hosts.size === 4, 'the fixed file');
  });

  it('turns a lost ready endpoint in the file into unhealthy targets (readiness, as k8gb)', async () => {
    const path = join(dir, 'resources-eu.yaml');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.replace('ready: true', 'ready: false'));
    await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_UNHEALTHY), 'readiness lost');
    const readiness = watcher.hosts.get('roundrobin.gslb.example.com')?.targets[0]?.checks[0];
    expect(readiness).toMatchObject({ check: 'readiness', passed: false, message: 'Service demo/sample-app: 0 of 1 endpoints ready (serviceHealthPolicy Any)' });
    writeFileSync(path, good);
    await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_HEALTHY), 'readiness back');
  });

  it('exports metrics that pass the lint, with k8gb-compatible counts', async () => {
    const text = await scrapeMetrics(proc.metricsPort);
    expect(lintMetricDescriptors(parseExposition(text), 'prober')).toEqual([]);
    expect(text).toContain('k8gb_gslb_service_status_num{namespace="demo",name="weighted",status="Healthy"} 1');
    expect(text).toContain('k8gb_endpoint_status_num{namespace="demo",name="failover",dns_name="localtargets-failover.gslb.example.com"} 2');
    expect(text).toMatch(/meridian_prober_checks_total\{type="http",result="pass"\} \d+/);
    expect(text).toMatch(/meridian_prober_check_failures_total\{type="http",reason="status"\} \d+/);
    expect(text).toContain('meridian_prober_ready 1');
  });
});

describe('the demo config of region us', () => {
  it('loads with the us targets and the same strategies', async () => {
    const app = await startSampleApp();
    const dir = mkdtempSync(join(tmpdir(), 'meridian-prober-us-'));
    const proc = await startService('prober', { config: exampleConfig('us', dir, app.port) });
    const watcher = new LocalTargetsWatcher(proc.grpcAddress);
    try {
      await watcher.waitFor(allHosts(HealthState.HEALTH_STATE_HEALTHY), 'four healthy hosts');
      expect(watcher.region).toBe('us');
      expect(watcher.hosts.get('weighted.gslb.example.com')?.targets.map((t) => t.target?.address)).toEqual(['198.51.100.10', '2001:db8:a::10']);
      expect(watcher.hosts.get('failover.gslb.example.com')?.spec?.strategy?.primaryGeoTags).toEqual(['eu', 'us']);
    } finally {
      watcher.close();
      await proc.stop('SIGKILL');
      await app.close();
    }
  });
});
