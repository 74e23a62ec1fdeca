import { checkHealth, startService, type ServiceProcess } from '@meridian/testing';
import { fakeProber, type FakeWatchServer } from './support/fake-watch-server';
import { hostHealth, recordsConfig, ZONE } from './support/proto-fixtures';
import { until, ZoneWatcher } from './support/zone-watcher';
import type { LocalTargetsDelta, LocalTargetsSnapshot } from '@meridian/proto';

const APP = `app.${ZONE}`;
const HOSTS = Array.from({ length: 20 }, (_, i) => `h${i}.${ZONE}`);

function snapshot(appHealthy = true): LocalTargetsSnapshot {
  return {
    region: 'eu',
    hosts: [hostHealth(APP, { '10.1.0.1': appHealthy, '10.1.0.2': true }), ...HOSTS.map((h, i) => hostHealth(h, { [`10.1.1.${i + 1}`]: true }))],
    problems: [],
  };
}

describe('records WatchZone against a fake prober (real processes and streams)', () => {
  let prober: FakeWatchServer<LocalTargetsSnapshot, LocalTargetsDelta>;
  let records: ServiceProcess;
  const watchers: ZoneWatcher[] = [];

  beforeAll(async () => {
    prober = await fakeProber(snapshot()).start();
    records = await startService('records', { config: recordsConfig({ prober: prober.address }) });
  });

  afterAll(async () => {
    for (const w of watchers) w.stop();
    await records?.stop('SIGKILL');
    await prober?.stop();
  });

  const watcher = (id: string, address = records.grpcAddress) => {
    const w = new ZoneWatcher(address, id).start();
    watchers.push(w);
    return w;
  };

  it('serves a snapshot with every host once the prober snapshot is applied, and is SERVING', async () => {
    const w = watcher('dns-a');
    await until(() => w.state === 'synced', 'the first snapshot');
    expect(w.applied[0]?.kind).toBe('snapshot');
    expect(w.answer(APP)).toEqual(['10.1.0.1', '10.1.0.2']);
    expect(w.recordSet(`localtargets-${APP}`)).toBeDefined();
    expect(HOSTS.every((h) => w.recordSet(h) !== undefined)).toBe(true);
    expect(await checkHealth(records.grpcAddress, 'meridian.v1.RecordsService')).toBe('SERVING');
  });

  it('a health change of one host reaches two subscribers as a one-host delta, and both converge on the same version', async () => {
    const a = watchers[0] ?? watcher('dns-a');
    const b = watcher('dns-b');
    await until(() => a.state === 'synced' && b.state === 'synced', 'both subscribers');
    const before = a.position.version;
    const started = performance.now();
    const next = snapshot(false);
    prober.publish(next, { upserted: next.hosts.slice(0, 1), removedHosts: [], problems: [], problemsChanged: false });
    await until(() => a.answer(APP).length === 1 && b.answer(APP).length === 1, 'the delta at both subscribers');
    const elapsed = performance.now() - started;
    process.stdout.write(`records: prober delta → WatchZone delta at the subscriber in ${elapsed.toFixed(1)} ms\n`);
    expect(a.answer(APP)).toEqual(['10.1.0.2']);
    await until(() => a.position.version === b.position.version && a.position.version > before, 'the same version');
    const delta = a.deltas.find((d) => d.changes.some((c) => c.change?.$case === 'upsert' && c.change.upsert.name === APP));
    const changed = delta?.changes.map((c) => (c.change?.$case === 'upsert' ? c.change.upsert.name : '?')) ?? [];
    // A witness heartbeat may share the flush; nothing else may.
    expect(changed.filter((n) => !n.startsWith('eu._witness.')).sort()).toEqual([APP, `localtargets-${APP}`]);
    expect(elapsed).toBeLessThan(1000);
  });

  it('publishes nothing for a change that does not change the answer (only witness heartbeats follow)', async () => {
    const a = watchers[0] as ZoneWatcher;
    const deltas = a.deltas.length;
    const same = snapshot(false);
    prober.publish(same, { upserted: same.hosts.slice(5, 6), removedHosts: [], problems: [], problemsChanged: false });
    await new Promise((r) => setTimeout(r, 300));
    const names = a.deltas.slice(deltas).flatMap((d) => d.changes.map((c) => (c.change?.$case === 'upsert' ? c.change.upsert.name : '?')));
    expect(names.filter((n) => !n.startsWith('eu._witness.'))).toEqual([]);
  });
});

describe('records restarts', () => {
  it('subscribers resync to the new epoch at a higher version and never apply an older one', async () => {
    const prober = await fakeProber(snapshot()).start();
    const config = recordsConfig({ prober: prober.address });
    let records = await startService('records', { config });
    const port = records.grpcPort;
    const a = new ZoneWatcher(`127.0.0.1:${port}`, 'dns-a').start();
    const b = new ZoneWatcher(`127.0.0.1:${port}`, 'dns-b').start();
    try {
      await until(() => a.state === 'synced' && b.state === 'synced', 'both subscribers');
      const first = a.position;
      await records.stop('SIGKILL');
      records = await startService('records', { config: { ...config, grpc: { host: '127.0.0.1', port } } });
      await until(() => a.position.epoch !== first.epoch && b.position.epoch !== first.epoch && a.position.version === b.position.version, 'both on the new epoch', 15_000);
      expect(a.position.version).toBeGreaterThan(first.version);
      for (const w of [a, b]) {
        const versions = w.applied.map((x) => x.version);
        expect(versions).toEqual([...versions].sort((x, y) => x - y));
        expect(w.answer(APP)).toEqual(['10.1.0.1', '10.1.0.2']);
      }
    } finally {
      a.stop();
      b.stop();
      await records.stop('SIGKILL');
      await prober.stop();
    }
  });

  it('is not ready, and holds WatchZone, until the prober answers; then serves the zone', async () => {
    const prober = fakeProber(snapshot());
    // Reserve a port for the prober, then stop it, so records starts with its prober down.
    await prober.start();
    const proberPort = prober.port;
    await prober.stop();
    const records = await startService('records', { config: recordsConfig({ prober: `127.0.0.1:${proberPort}` }) });
    const w = new ZoneWatcher(records.grpcAddress, 'dns-early').start();
    try {
      expect(await checkHealth(records.grpcAddress)).toBe('NOT_SERVING');
      await new Promise((r) => setTimeout(r, 300));
      expect(w.applied).toEqual([]);
      const again = fakeProber(snapshot());
      await again.start(proberPort);
      try {
        await until(() => w.state === 'synced', 'the first snapshot once the prober is up', 15_000);
        expect(w.answer(APP)).toEqual(['10.1.0.1', '10.1.0.2']);
        expect(await checkHealth(records.grpcAddress)).toBe('SERVING');
      } finally {
        await again.stop();
      }
    } finally {
      w.stop();
      await records.stop('SIGKILL');
    }
  });
});
