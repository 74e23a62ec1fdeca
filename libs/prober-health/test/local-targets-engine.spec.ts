import { K8GB_STRATEGY_DEFAULTS, ModelCache, ResourceStore, type KubeObjectJson } from '@meridian/gslb-resources';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry, lintMetricNames } from '@meridian/metrics';
import { HealthState, type HostHealth, type LocalTargetsDelta, type LocalTargetsSnapshot } from '@meridian/proto';
import type { VersionedStream } from '@meridian/streams';
import type { Registry } from 'prom-client';
import { CheckScheduler, createDefaultProbers, DEFAULT_CHECK_TIMING, LocalTargetsEngine, ProberMetrics, systemClock, type ProberRegistry } from '../src';
import { endpointSlice, gslb, readyService, service, stored } from './fixtures';
import { startHttpServer, type TestHttpServer } from './servers';

type Stream = VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>;

/** Collects every delta published from now on. */
function follow(stream: Stream): { deltas: LocalTargetsDelta[]; next: (predicate: (d: LocalTargetsDelta) => boolean, timeoutMs?: number) => Promise<{ delta: LocalTargetsDelta; at: number }>; stop: () => void } {
  const deltas: { delta: LocalTargetsDelta; at: number }[] = [];
  let cursor = stream.version;
  let stopped = false;
  const waiters: (() => void)[] = [];
  void (async () => {
    while (!stopped) {
      await stream.changed();
      const at = Date.now();
      for (let e = stream.next(cursor); e; e = stream.next(cursor)) {
        cursor = e.version;
        if (e.kind === 'delta') deltas.push({ delta: e.delta, at });
      }
      waiters.splice(0).forEach((w) => w());
    }
  })();
  let seen = 0;
  return {
    get deltas() {
      return deltas.map((d) => d.delta);
    },
    stop: () => (stopped = true),
    next: (predicate, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching delta within ${timeoutMs} ms; saw ${JSON.stringify(deltas.map((d) => d.delta.upserted.map((h) => h.host)))}`)), timeoutMs);
        const check = () => {
          while (seen < deltas.length) {
            const d = deltas[seen++] as { delta: LocalTargetsDelta; at: number };
            if (predicate(d.delta)) {
              clearTimeout(timer);
              resolve(d);
              return;
            }
          }
          waiters.push(check);
        };
        check();
      }),
  };
}

interface Harness {
  store: ResourceStore;
  engine: LocalTargetsEngine;
  registry: Registry;
  probers: ProberRegistry;
  scheduler: CheckScheduler;
  stop(): void;
}

function harness(objects: KubeObjectJson[]): Harness {
  const store = new ResourceStore();
  store.replace('test', objects.map((o) => stored(o)));
  store.synced();
  const registry = createMetricsRegistry({ runtimeMetrics: false });
  const probers = createDefaultProbers();
  const scheduler = new CheckScheduler({ clock: systemClock, random: Math.random, maxConcurrent: 64, initialSpreadMs: 0 });
  const engine = new LocalTargetsEngine({
    region: 'eu',
    store,
    cache: new ModelCache({ defaults: K8GB_STRATEGY_DEFAULTS }),
    hosts: { zones: ['example.com'], timing: DEFAULT_CHECK_TIMING, hostChecks: [] },
    probers,
    scheduler,
    clock: systemClock,
    logger: nullLogger,
    metrics: new ProberMetrics(registry),
  });
  engine.start();
  return {
    store,
    engine,
    registry,
    probers,
    scheduler,
    stop: () => {
      engine.stop();
      scheduler.stop();
      probers.close();
    },
  };
}

const judged = (engine: LocalTargetsEngine) => new Promise<void>((resolve) => engine.onJudged(resolve));
const httpCheck = (server: TestHttpServer, extra: Record<string, unknown> = {}) => ({ type: 'http', address: `127.0.0.1:${server.port}`, intervalSeconds: 0.1, timeoutSeconds: 0.1, rise: 1, fall: 1, jitter: 0, ...extra });
const stateOf = (host: HostHealth | undefined, address: string) => host?.targets.find((t) => t.target?.address === address)?.state;

describe('LocalTargetsEngine', () => {
  let servers: TestHttpServer[] = [];
  let h: Harness | undefined;

  beforeEach(async () => {
    servers = [await startHttpServer(), await startHttpServer()];
  });

  afterEach(async () => {
    h?.stop();
    h = undefined;
    await Promise.all(servers.map((s) => s.close()));
  });

  it('publishes a delta holding only the host whose check failed, within one interval, with the reason', async () => {
    const [a, b] = servers as [TestHttpServer, TestHttpServer];
    h = harness([...readyService('app'), gslb('a', 'a.example.com', { checks: [httpCheck(a)] }), gslb('b', 'b.example.com', { checks: [httpCheck(b)] })]);
    await judged(h.engine);
    const snapshot = h.engine.snapshot();
    expect(snapshot.hosts.map((x) => [x.host, x.serviceHealth, stateOf(x, '192.0.2.10')])).toEqual([
      ['a.example.com', HealthState.HEALTH_STATE_HEALTHY, HealthState.HEALTH_STATE_HEALTHY],
      ['b.example.com', HealthState.HEALTH_STATE_HEALTHY, HealthState.HEALTH_STATE_HEALTHY],
    ]);
    const stream = follow(h.engine.stream);
    const flippedAt = Date.now();
    a.behaviour.status = 503;
    const { delta, at } = await stream.next((d) => d.upserted.length > 0);
    stream.stop();
    // One interval (100 ms) plus 100 ms, with 300 ms of margin for a loaded CI machine.
    expect(at - flippedAt).toBeLessThanOrEqual(100 + 100 + 300);
    expect(delta.upserted.map((x) => x.host)).toEqual(['a.example.com']);
    expect(delta.removedHosts).toEqual([]);
    expect(delta.problemsChanged).toBe(false);
    const target = delta.upserted[0]?.targets[0];
    expect(target?.state).toBe(HealthState.HEALTH_STATE_UNHEALTHY);
    expect(delta.upserted[0]?.serviceHealth).toBe(HealthState.HEALTH_STATE_UNHEALTHY);
    expect(target?.checks.map((c) => [c.check, c.passed])).toEqual([
      ['readiness', true],
      ['http', false],
    ]);
    expect(target?.checks[1]?.message).toMatch(new RegExp(`^HTTP 503, expected 200-399 \\(127\\.0\\.0\\.1:${a.port}\\); verdict down$`));
    expect(target?.checks[1]?.observedAt?.getTime()).toBeGreaterThanOrEqual(flippedAt);
    expect(target?.changedAt?.getTime()).toBeGreaterThanOrEqual(flippedAt);
  });

  it('applies rise and fall: a single failure does not flip a target, three do, two passes bring it back', async () => {
    const [a] = servers as [TestHttpServer];
    h = harness([...readyService('app'), gslb('a', 'a.example.com', { checks: [httpCheck(a, { intervalSeconds: 0.1, timeoutSeconds: 0.1, rise: 2, fall: 3 })] })]);
    await judged(h.engine);
    const stream = follow(h.engine.stream);
    const requests = () => a.requests.length;
    // One failing answer, then two in a row: both inside the hysteresis (fall 3).
    a.behaviour.failNext = 1;
    let start = requests();
    await until(() => requests() >= start + 4);
    a.behaviour.failNext = 2;
    start = requests();
    await until(() => requests() >= start + 5);
    expect(stream.deltas).toEqual([]);
    a.behaviour.status = 500;
    const failingFrom = requests();
    const down = await stream.next((d) => d.upserted.length > 0);
    expect(requests() - failingFrom).toBeGreaterThanOrEqual(3);
    expect(down.delta.upserted[0]?.targets[0]?.checks[1]?.consecutive).toBe(3);
    a.behaviour.status = 200;
    const up = await stream.next((d) => d.upserted.length > 0);
    expect(up.delta.upserted[0]?.targets[0]?.state).toBe(HealthState.HEALTH_STATE_HEALTHY);
    expect(up.delta.upserted[0]?.targets[0]?.checks[1]?.consecutive).toBe(2);
    stream.stop();
  });

  it('follows a flapping target with rise/fall 1 and counts the flaps, and holds it steady with rise/fall 2', async () => {
    const [a, b] = servers as [TestHttpServer, TestHttpServer];
    a.behaviour.alternate = true;
    b.behaviour.alternate = true;
    h = harness([
      ...readyService('app'),
      gslb('flappy', 'flappy.example.com', { checks: [httpCheck(a, { intervalSeconds: 0.1, timeoutSeconds: 0.1 })] }),
      gslb('steady', 'steady.example.com', { checks: [httpCheck(b, { intervalSeconds: 0.1, timeoutSeconds: 0.1, rise: 2, fall: 2 })] }),
    ]);
    await judged(h.engine);
    const stream = follow(h.engine.stream);
    await until(() => a.requests.length >= 12 && b.requests.length >= 12);
    stream.stop();
    const hosts = stream.deltas.flatMap((d) => d.upserted.map((x) => x.host));
    expect(hosts.filter((x) => x === 'flappy.example.com').length).toBeGreaterThanOrEqual(4);
    expect(hosts.filter((x) => x === 'steady.example.com')).toEqual([]);
    const metrics = await h.registry.getSingleMetricAsString('meridian_prober_target_flaps_total');
    const flaps = Number(/meridian_prober_target_flaps_total\{namespace="demo",name="flappy"\} (\d+)/.exec(metrics)?.[1]);
    expect(flaps).toBeGreaterThanOrEqual(4);
    expect(metrics).not.toContain('name="steady"');
  });

  it('judges readiness from EndpointSlices: losing every ready endpoint makes the host unhealthy; All with a missing Service is NotFound', async () => {
    h = harness([...readyService('web'), ...readyService('db'), gslb('any', 'any.example.com', { services: ['web', 'db'] }), gslb('all', 'all.example.com', { services: ['web', 'db'], policy: 'All' })]);
    await judged(h.engine);
    const stream = follow(h.engine.stream);
    h.store.upsert('test', stored(endpointSlice('web', [false, false])));
    const lost = await stream.next((d) => d.upserted.length > 0);
    // Any: db still has a ready endpoint; All: web has none.
    expect(lost.delta.upserted.map((x) => [x.host, x.serviceHealth])).toEqual([
      ['all.example.com', HealthState.HEALTH_STATE_UNHEALTHY],
      ['any.example.com', HealthState.HEALTH_STATE_HEALTHY],
    ]);
    expect(lost.delta.upserted[1]?.targets[0]?.checks[0]?.message).toBe('Service demo/db: 1 of 1 endpoints ready; Service demo/web: 0 of 2 endpoints ready (serviceHealthPolicy Any)');
    h.store.upsert('test', stored(endpointSlice('web', [true])));
    h.store.remove('test', 'service', 'demo', 'db');
    const missing = await stream.next((d) => d.upserted.some((x) => x.host === 'all.example.com' && x.serviceHealth === HealthState.HEALTH_STATE_NOT_FOUND));
    expect(stateOf(missing.delta.upserted.find((x) => x.host === 'all.example.com'), '192.0.2.10')).toBe(HealthState.HEALTH_STATE_NOT_FOUND);
    expect(h.engine.host('any.example.com')?.serviceHealth).toBe(HealthState.HEALTH_STATE_HEALTHY);
    stream.stop();
  });

  it('checks per address family: an IPv6-only check judges only the IPv6 target', async () => {
    const [a] = servers as [TestHttpServer];
    h = harness([...readyService('app'), gslb('dual', 'dual.example.com', { addresses: ['192.0.2.10', '2001:db8::10'], checks: [httpCheck(a, { families: ['ipv6'] })] })]);
    await judged(h.engine);
    const stream = follow(h.engine.stream);
    a.behaviour.status = 500;
    const { delta } = await stream.next((d) => d.upserted.length > 0);
    stream.stop();
    const host = delta.upserted[0];
    expect(stateOf(host, '2001:db8::10')).toBe(HealthState.HEALTH_STATE_UNHEALTHY);
    expect(stateOf(host, '192.0.2.10')).toBe(HealthState.HEALTH_STATE_HEALTHY);
    expect(host?.targets.find((t) => t.target?.address === '192.0.2.10')?.checks.map((c) => c.check)).toEqual(['readiness']);
    expect(host?.serviceHealth).toBe(HealthState.HEALTH_STATE_HEALTHY);
  });

  it('reports an invalid Gslb as a problem while the other hosts keep working, and publishes removals', async () => {
    h = harness([...readyService('app'), gslb('a', 'a.example.com'), gslb('b', 'b.example.com')]);
    await judged(h.engine);
    const stream = follow(h.engine.stream);
    h.store.upsert('test', stored(gslb('b', 'b.example.com', { strategy: { type: 'failover' } })));
    const broken = await stream.next((d) => d.problemsChanged);
    expect(broken.delta.removedHosts).toEqual(['b.example.com']);
    expect(broken.delta.problems).toEqual([
      { source: 'kubernetes', resource: 'Gslb/demo/b', field: 'spec.strategy.primaryGeoTag', message: 'is required for failover (got nothing); fix: set it to the primary region, e.g. "eu", or a list ["eu", "us"]' },
    ]);
    expect(h.engine.snapshot().hosts.map((x) => x.host)).toEqual(['a.example.com']);
    h.store.upsert('test', stored(gslb('b', 'b.example.com', { strategy: { type: 'failover', primaryGeoTag: 'eu' } })));
    const fixed = await stream.next((d) => d.problemsChanged);
    expect(fixed.delta.problems).toEqual([]);
    expect(fixed.delta.upserted.map((x) => [x.host, x.spec?.strategy?.primaryGeoTags])).toEqual([['b.example.com', ['eu']]]);
    stream.stop();
  });

  it('exports metric names that pass the lint, with k8gb-compatible service and endpoint counts', async () => {
    h = harness([service('gone-soon'), ...readyService('app'), gslb('a', 'a.example.com', { addresses: ['192.0.2.1', '192.0.2.2'] }), gslb('m', 'm.example.com', { services: ['missing'] })]);
    await judged(h.engine);
    expect(lintMetricNames(h.registry, 'prober')).toEqual([]);
    const text = await h.registry.metrics();
    expect(text).toContain('k8gb_gslb_service_status_num{namespace="demo",name="a",status="Healthy"} 1');
    expect(text).toContain('k8gb_gslb_service_status_num{namespace="demo",name="m",status="NotFound"} 1');
    expect(text).toContain('k8gb_endpoint_status_num{namespace="demo",name="a",dns_name="localtargets-a.example.com"} 2');
    expect(text).toContain('meridian_prober_targets{state="healthy"} 2');
    expect(text).toContain('meridian_prober_targets{state="notFound"} 1');
    expect(text).toContain('meridian_prober_hosts 2');
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
