#!/usr/bin/env node
// Records scale benchmark (`node tools/bench/records/run.mjs`, or `npm run bench -- records`).
//
// Runs the built records app as a process fed by an in-process prober and peer-sync (real
// gRPC servers built from the gRPC kit's watchHandler + VersionedStream), for a zone of 1,000
// and then 10,000 hosts (two regions, eu local and us remote; roundRobin, failover and geoip
// hosts). For each size it measures: the time records takes to build the zone, the delivery
// of a full snapshot to a new WatchZone subscriber (a real ResumableWatch), the latency of a
// one-host delta (prober publish → delta applied at the subscriber), the encoded size of
// snapshot and delta, and records' memory. With 10,000 hosts it also starts the dns app
// subscribed to records (when it builds) and measures its memory and how fast a one-host
// change reaches it. It prints the results, writes the "Records scale" section of
// docs/benchmarks.md and stops everything it started.
//
// Options (environment): BENCH_DELTAS (100 one-host deltas per size), BENCH_NO_DOC=1 (do not
// touch docs/benchmarks.md), BENCH_NO_DNS=1 (skip the dns app).
import { writeBenchmarkSection } from '../doc-section.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(join(root, 'apps', 'records', 'package.json'));
const DELTAS = Number(process.env.BENCH_DELTAS ?? 100);
const SIZES = [1_000, 10_000];
const ZONE = 'gslb.example.com';
const TARGETS = { snapshotMs: 1000, deltaMs: 50 };

const log = (m) => process.stdout.write(`${m}\n`);
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-records-'));
const children = new Set();

function build() {
  log('building records (and dns) (nx run-many -t build)…');
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  const r = spawnSync('npx', ['nx', 'run', 'records:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) throw new Error('the records app does not build');
  if (process.env.BENCH_NO_DNS) return false;
  const d = spawnSync('npx', ['nx', 'run', 'dns:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'], env });
  if (d.status !== 0) log('the dns app does not build: its part is skipped');
  return d.status === 0;
}

const startLoad = loadavg()[0];
const dnsBuilt = build();
const grpc = require('@grpc/grpc-js');
const { watchHandler, ResumableWatch, clientChannelOptions } = require('@meridian/grpc-kit');
const { VersionedStream } = require('@meridian/streams');
const proto = require('@meridian/proto');
const { nullLogger } = require('@meridian/logging');
const { AddressFamily, HealthState, StrategyType, TargetSource, WeightedMode, WhenAllUnhealthy } = proto;

// ---------------------------------------------------------------- inputs
const STRATEGIES = [
  ...Array(5).fill({ type: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, primaryGeoTags: [] }),
  { type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu'] },
  { type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['us'] },
  { type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu'] },
  { type: StrategyType.STRATEGY_TYPE_GEOIP, primaryGeoTags: [] },
  { type: StrategyType.STRATEGY_TYPE_GEOIP, primaryGeoTags: [] },
];
const hostName = (i) => `app${i}.${ZONE}`;
const ip = (net, i, k) => `10.${net}.${(i >> 8) & 255}.${((i & 255) + k) & 255}`;

function hostHealth(i, region, addresses, now) {
  const s = STRATEGIES[i % STRATEGIES.length];
  const strategy = { ...s, weights: {}, weightedMode: WeightedMode.WEIGHTED_MODE_REORDER_ALL, dnsTtlSeconds: 30, whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY };
  return {
    host: hostName(i),
    region,
    spec: { host: hostName(i), gslb: `bench/gslb${i % 100}`, strategy },
    serviceHealth: HealthState.HEALTH_STATE_HEALTHY,
    targets: addresses.map(([address, healthy]) => ({
      target: { address, family: AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC },
      state: healthy ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
      checks: [{ check: 'http', passed: healthy, message: healthy ? 'HTTP 200' : 'HTTP 503', observedAt: now, latencyMs: 2, consecutive: 3 }],
      changedAt: now,
    })),
    observedAt: now,
  };
}

const localHost = (i, firstHealthy = true) => hostHealth(i, 'eu', [[ip(1, i, 0), firstHealthy], [ip(3, i, 0), true]], new Date());

/** A real gRPC server serving one Watch method from a VersionedStream. */
async function watchServer(definition, method, initial) {
  let state = initial;
  const stream = new VersionedStream({ snapshot: () => state, initialVersion: 1 });
  const shutdown = new AbortController();
  const server = new grpc.Server({ 'grpc.max_send_message_length': -1 });
  server.addService(definition, { [method]: watchHandler(stream, { heartbeatMs: 1000, shutdownSignal: shutdown.signal, logger: nullLogger }) });
  const port = await new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    publish(next, delta) {
      state = next;
      return stream.publish(delta);
    },
    get state() {
      return state;
    },
    stop() {
      shutdown.abort();
      server.forceShutdown();
    },
  };
}

// ---------------------------------------------------------------- processes
function startApp(app, config) {
  const configPath = join(dir, `${app}-${Date.now()}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js'), '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const logs = [];
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))));
  const started = until(() => logs.find((r) => r.msg === 'service started'), `${app} to start`, 30_000).catch(async (err) => {
    throw new Error(`${err.message}\n${logs.map((l) => JSON.stringify(l)).slice(-20).join('\n')}`);
  });
  return { child, logs, exited, started, stop: () => (child.kill('SIGKILL'), exited) };
}

async function until(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function ready(metricsPort, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('not ready in time');
}

/** Resident memory of a process (and of its children: dns workers), from /proc. */
function rssBytes(pid) {
  const own = (p) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const kids = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=']).stdout?.toString().split('\n').map((s) => s.trim()).filter(Boolean) ?? [];
  return own(pid) + kids.reduce((sum, k) => sum + own(k), 0);
}

async function metric(metricsPort, name) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

// ---------------------------------------------------------------- the subscriber (a DNS server's view)
function subscriber(address) {
  const client = new proto.RecordsServiceClient(address, grpc.credentials.createInsecure(), clientChannelOptions({ 'grpc.max_receive_message_length': -1 }));
  const names = new Set();
  const events = [];
  let openedAt = 0;
  const watch = new ResumableWatch({
    open: (from) => {
      openedAt = performance.now();
      return client.watchZone({ clientId: 'bench', ...from });
    },
    apply: (r) => {
      const at = performance.now();
      const bytes = proto.WatchZoneResponse.encode(r).finish().length;
      if (r.event?.$case === 'snapshot') {
        names.clear();
        for (const z of r.event.snapshot.zones) for (const s of z.recordSets) names.add(s.name);
        events.push({ kind: 'snapshot', at, ms: at - openedAt, bytes, version: r.version, changed: [] });
      } else if (r.event?.$case === 'delta') {
        const changed = r.event.delta.changes.map((c) => c.change?.upsert?.name ?? c.change?.removedName);
        events.push({ kind: 'delta', at, bytes, version: r.version, changed });
      }
    },
    heartbeatTimeoutMs: 30_000,
    logger: nullLogger,
  });
  watch.start();
  return { events, names, stop: () => (watch.stop(), client.close()), get version() { return watch.applied.version; } };
}

const median = (xs) => percentile(xs, 50);
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const kib = (b) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(2)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

// ---------------------------------------------------------------- one size
async function runSize(size, withDns) {
  log(`\n--- ${size.toLocaleString('en')} hosts`);
  const now = new Date();
  const prober = await watchServer(proto.ProberServiceService, 'watchLocalTargets', { region: 'eu', hosts: Array.from({ length: size }, (_, i) => localHost(i)), problems: [] });
  const peerSync = await watchServer(proto.PeerSyncServiceService, 'watchRemoteTargets', {
    regions: [{ region: 'us', hosts: Array.from({ length: size }, (_, i) => hostHealth(i, 'us', [[ip(2, i, 0), true]], now)), lastContact: now, connected: true }],
  });
  const startedAt = performance.now();
  const records = startApp('records', {
    region: 'eu',
    grpc: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
    regions: [{ geoTag: 'eu', proximity: ['us'] }, { geoTag: 'us', proximity: ['eu'] }],
    dnsZones: [{ zone: ZONE, parentZone: 'example.com' }],
    geoCidrs: [{ cidr: '10.1.0.0/16', region: 'eu' }, { cidr: '10.2.0.0/16', region: 'us' }],
    inputs: { prober: prober.address, peerSync: peerSync.address, startupGraceSeconds: 10 },
    witnessHeartbeat: { intervalSeconds: 60 },
  });
  const result = { size };
  const dnsProcs = [];
  try {
    const started = await records.started;
    await ready(started.metricsPort);
    result.buildMs = performance.now() - startedAt;
    if (process.env.BENCH_DEBUG) for (const l of records.logs) log(JSON.stringify(l));
    const address = `127.0.0.1:${started.grpcPort}`;
    log(`records started and built the zone in ${ms(result.buildMs)} (process start included)`);

    // Full snapshots to new subscribers.
    const snapshots = [];
    for (let i = 0; i < 3; i++) {
      const s = subscriber(address);
      const first = await until(() => s.events.find((e) => e.kind === 'snapshot'), 'a snapshot', 30_000);
      snapshots.push(first);
      if (i < 2) s.stop();
      else result.sub = s;
    }
    result.snapshotMs = median(snapshots.map((s) => s.ms));
    result.snapshotBytes = snapshots[0].bytes;
    result.names = result.sub.names.size;
    log(`snapshot to a new subscriber: ${snapshots.map((s) => ms(s.ms)).join(', ')} (${kib(result.snapshotBytes)}, ${result.names} names)`);

    // One-host deltas: flip a host's first target, wait for its delta at the subscriber.
    const flipped = new Map();
    const flip = async (k) => {
      const i = (k * 7919) % size;
      const healthy = !(flipped.get(i) ?? true);
      flipped.set(i, healthy);
      const before = result.sub.events.length;
      const t0 = performance.now();
      prober.publish(prober.state, { upserted: [localHost(i, healthy)], removedHosts: [], problems: [], problemsChanged: false });
      // A failover host whose primary is us keeps its answer; its localtargets- name still changes.
      const names = [hostName(i), `localtargets-${hostName(i)}`];
      const event = await until(() => result.sub.events.slice(before).find((e) => e.kind === 'delta' && e.changed.some((n) => names.includes(n))), `the delta of ${hostName(i)}`);
      return { t0, event };
    };
    const deltaMs = [];
    const deltaBytes = [];
    // Warm-up flips (not measured): the first deltas of a fresh process include JIT compilation.
    const WARMUP = 10;
    for (let k = 0; k < WARMUP; k++) await flip(DELTAS + 100 + k);
    for (let k = 0; k < DELTAS; k++) {
      const { t0, event } = await flip(k);
      deltaMs.push(event.at - t0);
      deltaBytes.push(event.bytes);
      await new Promise((r) => setTimeout(r, 5));
    }
    if (process.env.BENCH_DEBUG) log(`deltas (ms, in order): ${deltaMs.map((x) => x.toFixed(1)).join(' ')}`);
    result.delta = { p50: median(deltaMs), p99: percentile(deltaMs, 99), max: Math.max(...deltaMs), bytes: median(deltaBytes), maxBytes: Math.max(...deltaBytes) };
    log(`one-host delta: p50 ${ms(result.delta.p50)}, p99 ${ms(result.delta.p99)}, max ${ms(result.delta.max)}; ${result.delta.bytes} bytes (max ${result.delta.maxBytes})`);

    let dns;
    if (withDns) {
      const dnsStart = performance.now();
      dns = startApp('dns', {
        region: 'eu',
        grpc: { host: '127.0.0.1', port: 0 },
        metrics: { host: '127.0.0.1', port: 0 },
        dns: { host: '127.0.0.1', port: 0, workers: 1 },
        records: { endpoints: [address] },
      });
      dnsProcs.push(dns);
      const dnsStarted = await dns.started;
      await ready(dnsStarted.metricsPort);
      result.dnsReadyMs = performance.now() - dnsStart;
      log(`dns started and compiled the zone in ${ms(result.dnsReadyMs)} (process start included)`);
      const dnsClient = new proto.DnsServiceClient(`127.0.0.1:${dnsStarted.grpcPort}`, grpc.credentials.createInsecure());
      const dnsVersion = () => new Promise((resolve, reject) => dnsClient.getServingStatus({}, (err, res) => (err ? reject(err) : resolve(res.zoneVersion))));
      const dnsMs = [];
      for (let k = DELTAS; k < DELTAS + 20; k++) {
        const { t0, event } = await flip(k);
        while ((await dnsVersion()) < event.version) await new Promise((r) => setTimeout(r, 1));
        dnsMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
      dnsClient.close();
      result.dnsDelta = { p50: median(dnsMs), max: Math.max(...dnsMs), samples: dnsMs.length };
      log(`one-host change → dns serving it: p50 ${ms(result.dnsDelta.p50)}, max ${ms(result.dnsDelta.max)} (${dnsMs.length} samples)`);
    }

    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    result.rss = rssBytes(records.child.pid);
    result.heap = await metric(started.metricsPort, 'nodejs_heap_size_used_bytes');
    log(`records memory: RSS ${mib(result.rss)}, heap used ${mib(result.heap ?? 0)}`);
    if (dns) {
      result.dnsRss = rssBytes(dns.child.pid);
      log(`dns memory (primary + 1 worker): RSS ${mib(result.dnsRss)}`);
    }
    result.sub.stop();
  } finally {
    for (const d of dnsProcs) await d.stop();
    await records.stop();
    prober.stop();
    peerSync.stop();
  }
  return result;
}

// ---------------------------------------------------------------- the report
function writeDoc(results) {
  const path = join(root, 'docs', 'benchmarks.md');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const big = results[results.length - 1];
  const rows = results.map(
    (r) =>
      `| ${r.size.toLocaleString('en')} | ${ms(r.buildMs)} | ${ms(r.snapshotMs)} | ${kib(r.snapshotBytes)} | ${ms(r.delta.p50)} / ${ms(r.delta.p99)} / ${ms(r.delta.max)} | ${r.delta.bytes} B | ${mib(r.rss)} (heap ${mib(r.heap ?? 0)}) |`,
  );
  const pass = (ok) => (ok ? 'met' : '**missed**');
  const sizes = results.map((r) => `${r.delta.bytes} B at ${r.size.toLocaleString('en')} hosts`).join(', ');
  const dnsLines = big.dnsRss
    ? [
        `dns (1 worker) subscribed to records with ${big.size.toLocaleString('en')} hosts: ready ${ms(big.dnsReadyMs)} after its start (process start, snapshot,`,
        `compilation), RSS ${mib(big.dnsRss)} (primary + worker); a one-host change reaches the zone dns serves in ${ms(big.dnsDelta.p50)} (p50, max`,
        `${ms(big.dnsDelta.max)}, ${big.dnsDelta.samples} samples: prober publish → dns GetServingStatus at the delta's version).`,
      ]
    : ['The dns app was not measured (it did not build, or BENCH_NO_DNS was set).'];
  const section = [
    '## Records scale',
    '',
    `Command: \`node tools/bench/records/run.mjs\` (\`npm run bench -- records\`), run ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; records, the fake inputs and the subscriber share the cores`,
    `(load average ${startLoad.toFixed(1)} when the run started: other work on the machine slows every figure).`,
    '',
    'Setup: the built records app as a process, fed over gRPC by an in-process prober (region eu: 2 targets per host) and',
    'peer-sync (region us: 1 target per host, connected), both real servers built from `watchHandler` + `VersionedStream`.',
    'Hosts: 50 % roundRobin, 30 % failover, 20 % geoip, in one zone with a geo map. The subscriber is a real `ResumableWatch`',
    'on WatchZone, as a DNS server runs it. Snapshot: from the call to the decoded snapshot at the subscriber, median of 3',
    `new subscribers. Delta: ${DELTAS} one-host health flips (after 10 unmeasured warm-up flips), from the prober's publish to the`,
    'decoded delta at the subscriber',
    '(p50 / p99 / max); its size is the encoded WatchZoneResponse. Build: process start to ready (both inputs applied).',
    'Memory: RSS from /proc after the run; heap from `nodejs_heap_size_used_bytes`.',
    '',
    '| hosts | build | snapshot | snapshot size | one-host delta p50 / p99 / max | delta size | records memory |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...dnsLines,
    '',
    `Targets (issue 6): snapshot under ${TARGETS.snapshotMs} ms — ${pass(big.snapshotMs < TARGETS.snapshotMs)} (${ms(big.snapshotMs)});`,
    `one-host delta under ${TARGETS.deltaMs} ms — ${pass(big.delta.p99 < TARGETS.deltaMs)} (p99 ${ms(big.delta.p99)});`,
    `delta size independent of the zone size — ${pass(results.every((r) => r.delta.maxBytes === results[0].delta.maxBytes || Math.abs(r.delta.bytes - results[0].delta.bytes) <= 8))} (${sizes}; the`,
    'few bytes of difference are the longer host names and version numbers, not the zone).',
    '',
  ].join('\n');
  writeBenchmarkSection(path, 'Records scale', section);
  log(`\nwrote the "Records scale" section of ${path}`);
}

async function main() {
  const results = [];
  for (const size of SIZES) results.push(await runSize(size, dnsBuilt && size === SIZES[SIZES.length - 1]));
  if (!process.env.BENCH_NO_DOC) writeDoc(results);
  const big = results[results.length - 1];
  const ok = big.snapshotMs < TARGETS.snapshotMs && big.delta.p99 < TARGETS.deltaMs;
  log(ok ? 'targets met' : 'targets missed');
}

const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('SIGINT', () => (cleanup(), process.exit(130)));
main()
  .then(() => (cleanup(), process.exit(0)))
  .catch((err) => {
    process.stderr.write(`records bench failed: ${err.stack ?? err}\n`);
    cleanup();
    process.exit(1);
  });
