#!/usr/bin/env node
// Scale benchmark (`node tools/bench/scale/run.mjs`, or `npm run bench -- scale`).
//
// Three regions (ap, eu, us) on 127.0.0.1, each with the built prober (file mode) and
// peer-sync (real Exchange between the three, plaintext on loopback), and region eu with the
// whole chain: prober → records ← peer-sync, records → dns. Every region's prober serves the
// same N hosts (1,000, 10,000, 100,000) with its own addresses, so eu's zone holds N hosts ×
// 3 regions. For each N it measures:
// - snapshot: a new dns process, from its start until it answers the zone's last roundRobin
//   host with the targets of all three regions (process start, WatchZone snapshot, compile);
// - one-host delta: the health of one host flips (its only active check, every 0.1 s with
//   rise/fall 1, against an HTTP server of this benchmark); from the first probe that sees
//   the new status until eu's dns answers accordingly, for a host checked in eu (local path:
//   prober → records → dns) and in us (remote path: prober us → peer-sync us → Exchange →
//   peer-sync eu → records → dns), p50 / p99;
// - memory: RSS of each service (dns: primary + worker);
// - CPU at rest: CPU time of each service over BENCH_IDLE_SECONDS (10) without changes.
// It prints the figures, writes the "Scale" section of docs/benchmarks.md and the plot
// docs/scale.svg, and stops everything it started.
//
// Options (environment): BENCH_SIZES (1000,10000,100000), BENCH_FLIPS (20 per path and
// size), BENCH_IDLE_SECONDS (10), BENCH_NO_DOC=1 (write neither the section nor the plot),
// BENCH_NO_BUILD=1 (use the apps' dist/ as it is).
import { writeBenchmarkSection } from '../doc-section.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dnsClient } from './dns-query.mjs';
import { lastRoundRobinHost, PROBE_HOST, probeAddress, REGION_NET, REGIONS, writeResources, ZONE } from './fleet.mjs';
import { cpuSeconds, isReady, percentile, rssBytes, startApp, until } from './processes.mjs';
import { renderPlot } from './svg-plot.mjs';
import { freePort } from '../../lib/free-port.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const FLIPS = Number(process.env.BENCH_FLIPS ?? 20);
const WARMUP_FLIPS = 3;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const CHECK_INTERVAL_S = 0.1;
const LOCAL = 'eu';
const REMOTE = 'us';
const SERVICES = ['prober', 'peer-sync', 'records', 'dns'];

const log = (m) => process.stdout.write(`${m}\n`);
const children = new Set();
const benchStart = performance.now();
const loadAtStart = loadavg()[0];

function build() {
  if (process.env.BENCH_NO_BUILD) return;
  log('building prober, peer-sync, records and dns (nx run-many -t build)…');
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'prober', 'peer-sync', 'records', 'dns', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) throw new Error('the apps do not build: run npx nx run-many -t build -p prober peer-sync records dns');
}


/** The HTTP endpoint a region's prober checks for the probe host: 200 or 503, as the benchmark says. */
async function flipServer() {
  let healthy = true;
  let firstServedAt;
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests++;
    firstServedAt ??= performance.now();
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'down');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/healthz`,
    get healthy() {
      return healthy;
    },
    /** Flips the status; `firstServedAt` is then the time the first probe got the new one. */
    flip() {
      healthy = !healthy;
      firstServedAt = undefined;
    },
    get firstServedAt() {
      return firstServedAt;
    },
    get requests() {
      return requests;
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

const sameSet = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const ms = (x) => (x === undefined ? '–' : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const secondsOrMs = (x) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : ms(x));
const mib = (b) => `${(b / 2 ** 20).toFixed(0)}`;
const pct = (x) => `${x.toFixed(1)} %`;

/** The encoded size of the WatchZone snapshot records sends a new subscriber (one message, ADR 0009). */
async function watchZoneSnapshotBytes(address) {
  const require = createRequire(join(root, 'apps', 'records', 'package.json'));
  const grpc = require('@grpc/grpc-js');
  const proto = require('@meridian/proto');
  const client = new proto.RecordsServiceClient(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
  try {
    return await new Promise((resolve, reject) => {
      const call = client.watchZone({ clientId: 'scale-bench', epoch: '', sinceVersion: 0 });
      call.on('data', (r) => {
        if (r.event?.$case !== 'snapshot') return;
        resolve(proto.WatchZoneResponse.encode(r).finish().length);
        call.cancel();
      });
      call.on('error', (err) => (err.code === grpc.status.CANCELLED ? undefined : reject(err)));
    });
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------- one size
async function runSize(size) {
  log(`\n--- ${size.toLocaleString('en')} hosts × ${REGIONS.length} regions`);
  const dir = mkdtempSync(join(tmpdir(), `meridian-bench-scale-${size}-`));
  const start = (app, name, config, nodeArgs) => startApp({ root, dir, app, name, config, children, nodeArgs, startTimeoutMs: 900_000 });
  const procs = [];
  const servers = {};
  const result = { size };
  try {
    const t0 = performance.now();
    for (const region of REGIONS) writeResources(join(dir, `resources-${region}.yaml`), region, size);
    log(`resources written in ${ms(performance.now() - t0)}`);
    const peerPorts = Object.fromEntries(await Promise.all(REGIONS.map(async (r) => [r, await freePort()])));
    const setupStart = performance.now();
    const probers = {};
    for (const region of REGIONS) {
      servers[region] = await flipServer();
      probers[region] = start('prober', `prober-${region}`, {
        region,
        grpc: { host: '127.0.0.1', port: 0 },
        metrics: { host: '127.0.0.1', port: 0 },
        log: { level: 'info' },
        zones: [ZONE],
        regions: REGIONS,
        source: { mode: 'file', file: { paths: [join(dir, `resources-${region}.yaml`)] } },
        // No active check on the fleet (readiness comes from the EndpointSlice): one check, on the probe host.
        checks: {
          hosts: [{ host: PROBE_HOST, checks: [{ name: 'flip', url: servers[region].url, intervalSeconds: CHECK_INTERVAL_S, timeoutSeconds: CHECK_INTERVAL_S, rise: 1, fall: 1, jitter: 0 }] }],
        },
      });
      procs.push({ region, service: 'prober', proc: probers[region] });
    }
    const proberPorts = {};
    for (const region of REGIONS) proberPorts[region] = (await probers[region].started).grpcPort;
    for (const region of REGIONS) {
      const peerSync = start('peer-sync', `peer-sync-${region}`, {
        region,
        grpc: { host: '127.0.0.1', port: peerPorts[region] },
        metrics: { host: '127.0.0.1', port: 0 },
        log: { level: 'info' },
        prober: { address: `127.0.0.1:${proberPorts[region]}` },
        peering: { plaintext: true, heartbeatSeconds: 2, peers: REGIONS.filter((r) => r !== region).map((r) => ({ region: r, kind: 'meridian', address: `127.0.0.1:${peerPorts[r]}` })) },
      });
      procs.push({ region, service: 'peer-sync', proc: peerSync });
    }
    for (const p of procs) await p.proc.started;
    const records = start('records', `records-${LOCAL}`, {
      region: LOCAL,
      grpc: { host: '127.0.0.1', port: 0 },
      metrics: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      regions: REGIONS.map((r) => ({ geoTag: r, proximity: REGIONS.filter((o) => o !== r) })),
      dnsZones: [{ zone: ZONE, parentZone: 'example.com' }],
      geoCidrs: REGIONS.map((r) => ({ cidr: `10.${REGION_NET[r]}.0.0/16`, region: r })),
      inputs: { prober: `127.0.0.1:${proberPorts[LOCAL]}`, peerSync: `127.0.0.1:${peerPorts[LOCAL]}`, startupGraceSeconds: 60 },
      witnessHeartbeat: { intervalSeconds: 60 },
    });
    procs.push({ region: LOCAL, service: 'records', proc: records });
    const recordsStarted = await records.started;
    const recordsAddress = `127.0.0.1:${recordsStarted.grpcPort}`;
    const last = lastRoundRobinHost(size);

    const startDns = async (k) => {
      const dns = start('dns', `dns-${LOCAL}-${k}`, {
        region: LOCAL,
        grpc: { host: '127.0.0.1', port: 0 },
        metrics: { host: '127.0.0.1', port: 0 },
        // debug: the worker logs how it applied each version ("zone applied": full or incremental, ms).
        log: { level: 'debug' },
        dns: { host: '127.0.0.1', port: 0, workers: 1 },
        records: { endpoints: [recordsAddress] },
      });
      const listening = await until(() => dns.logs.find((l) => l.msg === 'dns listening'), 'dns to listen', 300_000, 5);
      const client = await dnsClient(listening.udpPort);
      return { dns, client };
    };
    const servesWholeZone = async (client) => {
      const answer = await client.query(last.host, 1000);
      return answer !== undefined && sameSet(answer.addresses, last.addresses);
    };

    // The whole fleet converged: a dns answers the last host with every region's target.
    const first = await startDns(0);
    await until(() => servesWholeZone(first.client), 'the zone to hold every region', 600_000, 20);
    result.setupMs = performance.now() - setupStart;
    log(`setup: every process started and eu's zone holds all ${REGIONS.length} regions after ${secondsOrMs(result.setupMs)}`);
    first.client.close();
    await first.dns.stop();

    result.snapshotBytes = await watchZoneSnapshotBytes(recordsAddress);
    log(`WatchZone snapshot: ${(result.snapshotBytes / 2 ** 20).toFixed(1)} MiB (${(result.snapshotBytes / size).toFixed(0)} bytes per host)`);

    // Snapshot: a new dns process until it serves the whole zone.
    const dnsStart = performance.now();
    const { dns, client } = await startDns(1);
    procs.push({ region: LOCAL, service: 'dns', proc: dns });
    await until(() => servesWholeZone(client), 'the new dns to serve the zone', 600_000, 2);
    result.snapshotMs = performance.now() - dnsStart;
    await until(() => isReady((dns.logs.find((l) => l.msg === 'service started') ?? {}).metricsPort), 'dns readiness', 60_000, 10);
    log(`snapshot: a new dns serves the whole zone ${secondsOrMs(result.snapshotMs)} after its start`);
    if (process.env.BENCH_DEBUG) for (const l of [...records.logs, ...dns.logs]) log(JSON.stringify(l).slice(0, 400));

    // One-host deltas, local and remote.
    const allProbe = REGIONS.map(probeAddress).sort();
    const flipOnce = async (region) => {
      const server = servers[region];
      server.flip();
      const expected = server.healthy ? allProbe : allProbe.filter((a) => a !== probeAddress(region));
      const answeredAt = await until(async () => {
        const answer = await client.query(PROBE_HOST, 1000);
        return answer && sameSet(answer.addresses, expected) ? performance.now() : undefined;
      }, `${PROBE_HOST} to follow ${region}'s flip`, 30_000, 1);
      const seenAt = await until(() => server.firstServedAt, 'the probe', 5_000, 1);
      return answeredAt - seenAt;
    };
    await until(async () => sameSet((await client.query(PROBE_HOST))?.addresses ?? [], allProbe), 'the probe host to be healthy everywhere', 30_000, 10);
    for (const [path, region] of [['local', LOCAL], ['remote', REMOTE]]) {
      const samples = [];
      for (let k = 0; k < WARMUP_FLIPS + FLIPS; k++) {
        const latency = await flipOnce(region);
        if (k >= WARMUP_FLIPS) samples.push(latency);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (servers[region].healthy === false) await flipOnce(region);
      result[path] = { p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples), n: samples.length };
      log(`${path} one-host change (${region}) → eu dns answer: p50 ${ms(result[path].p50)}, p99 ${ms(result[path].p99)}, max ${ms(result[path].max)} (${samples.length} flips)`);
    }
    client.close();
    // How the dns worker applied the zone: the snapshot compiled in full, each delta incrementally (ADR 0009).
    const applied = dns.logs.filter((l) => l.msg === 'zone applied' && l.worker !== undefined);
    const fullMs = applied.filter((l) => l.mode === 'full').map((l) => l.ms);
    const incrementalMs = applied.filter((l) => l.mode === 'incremental').map((l) => l.ms);
    result.apply = { fullMs: fullMs.length ? Math.max(...fullMs) : undefined, incrementalP50: incrementalMs.length ? percentile(incrementalMs, 50) : undefined, incrementalMax: incrementalMs.length ? Math.max(...incrementalMs) : undefined, deltas: incrementalMs.length, fullCount: fullMs.length };
    log(`dns worker: full compile ${ms(result.apply.fullMs)} (${fullMs.length}×); incremental delta p50 ${ms(result.apply.incrementalP50)}, max ${ms(result.apply.incrementalMax)} (${incrementalMs.length}×)`);

    // At rest: no change for IDLE_SECONDS (the probe host's checks keep running, 10 per second per region).
    await new Promise((r) => setTimeout(r, 2000));
    const live = procs.filter((p) => p.proc.child.exitCode === null);
    const before = live.map((p) => cpuSeconds(p.proc.child.pid));
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    result.services = {};
    live.forEach((p, i) => {
      const cpu = ((cpuSeconds(p.proc.child.pid) - before[i]) / IDLE_SECONDS) * 100;
      const rss = rssBytes(p.proc.child.pid);
      (result.services[p.service] ??= []).push({ region: p.region, cpu, rss });
    });
    for (const service of SERVICES) {
      const rows = result.services[service] ?? [];
      log(`${service}: ${rows.map((r) => `${r.region} RSS ${mib(r.rss)} MiB, CPU at rest ${pct(r.cpu)}`).join('; ')}`);
    }
  } finally {
    for (const p of procs) await p.proc.stop();
    for (const s of Object.values(servers)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- the report
const eu = (r, service, key) => (r.services[service] ?? []).find((x) => x.region === LOCAL)?.[key] ?? 0;
const maxOf = (r, service, key) => Math.max(0, ...(r.services[service] ?? []).map((x) => x[key]));

function writeDoc(results, totalMs) {
  const rows = results.map(
    (r) =>
      `| ${r.size.toLocaleString('en')} | ${secondsOrMs(r.setupMs)} | ${(r.snapshotBytes / 2 ** 20).toFixed(1)} MiB | ${secondsOrMs(r.snapshotMs)} | ${ms(r.apply.fullMs)} / ${r.apply.incrementalP50 === undefined ? '–' : `${r.apply.incrementalP50.toFixed(2)} ms`} | ${ms(r.local.p50)} / ${ms(r.local.p99)} | ${ms(r.remote.p50)} / ${ms(r.remote.p99)} | ` +
      `${SERVICES.map((s) => mib(s === 'records' || s === 'dns' ? eu(r, s, 'rss') : maxOf(r, s, 'rss'))).join(' / ')} | ` +
      `${SERVICES.map((s) => (s === 'records' || s === 'dns' ? eu(r, s, 'cpu') : maxOf(r, s, 'cpu')).toFixed(1)).join(' / ')} |`,
  );
  const section = [
    '## Scale',
    '',
    `Command: \`node tools/bench/scale/run.mjs\` (\`npm run bench -- scale\`), run ${new Date().toISOString().slice(0, 10)} in ${(totalMs / 60000).toFixed(1)} min.`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; every process shares the cores`,
    `(1-minute load average ${loadAtStart.toFixed(1)} when the run started: other work on the machine slows every figure).`,
    '',
    `Setup: three regions (${REGIONS.join(', ')}) on 127.0.0.1. Each runs the built prober in file mode and peer-sync; the peer-syncs`,
    'exchange over real `Exchange` streams (plaintext on loopback). Region eu also runs records (inputs: its prober and',
    'peer-sync) and dns (1 worker). Every prober serves the same N hosts with its own addresses (Gslbs of 10 hosts: 50 %',
    'roundRobin, 30 % failover, 20 % geoip; readiness from a ready EndpointSlice, no active checks), so eu\'s zone holds N hosts',
    `× 3 regions. One more host has one HTTP check (every ${CHECK_INTERVAL_S} s, rise/fall 1, fixed URL) in every region, against a server`,
    'of the benchmark that answers 200 or 503 on demand.',
    '',
    '- setup: from the first process start until a dns answers the last roundRobin host with the targets of all three regions;',
    '- snapshot: a new dns process, from its start until it answers that host so (process start, WatchZone snapshot, compile);',
    `- one-host change: the checked host's status flips, from the first probe that gets the new status until eu's dns answers`,
    `  accordingly (UDP queries every ~1 ms), ${FLIPS} flips per path after ${WARMUP_FLIPS} unmeasured ones. Local: checked in eu (prober → records →`,
    '  dns). Remote: checked in us (prober us → peer-sync us → Exchange → peer-sync eu → records → dns);',
    '- WatchZone snapshot: the encoded size of the one message records sends a new subscriber (ADR 0009);',
    '- dns apply: in the dns worker ("zone applied" debug log), the full compile of the snapshot (a cold one; before ADR 0009',
    '  every delta walked the whole zone again, with cached record sets) and the incremental update of a one-host delta;',
    '- memory: RSS from /proc at the end (dns: primary + worker); CPU at rest: CPU time over',
    `  ${IDLE_SECONDS} s without changes (the probe checks keep running), in % of one core. prober and peer-sync: the largest of`,
    '  the three regions; records and dns: eu\'s.',
    '',
    '| hosts × 3 regions | setup | WatchZone snapshot | snapshot (new dns → zone served) | dns apply: full compile / one-host delta (p50) | local change → dns p50 / p99 | remote change → dns p50 / p99 | RSS MiB prober / peer-sync / records / dns | CPU at rest % prober / peer-sync / records / dns |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '![How the figures grow with the number of hosts](scale.svg)',
    '',
    '[scale.svg](scale.svg) is drawn by the benchmark from the same figures (log-scale axes).',
    '',
  ].join('\n');
  writeBenchmarkSection(join(root, 'docs', 'benchmarks.md'), 'Scale', section);
  const points = (f) => results.map((r) => [r.size, f(r)]);
  const svg = renderPlot({
    title: `Meridian at scale: N hosts × ${REGIONS.length} regions (tools/bench/scale/run.mjs, ${new Date().toISOString().slice(0, 10)})`,
    note: `${cpus().length} cores shared by every process; load average ${loadAtStart.toFixed(1)} at the start. Values ≤ 0 are not drawn (log axes).`,
    panels: [
      {
        title: 'Zone to a new dns, start-up, and zone apply in dns',
        yLabel: 'ms',
        series: [
          { label: 'snapshot: new dns → zone served', points: points((r) => r.snapshotMs) },
          { label: 'setup: all processes → zone complete', points: points((r) => r.setupMs) },
          { label: 'dns full compile (snapshot)', points: points((r) => r.apply.fullMs) },
          { label: 'dns one-host delta, incremental (p50)', points: points((r) => r.apply.incrementalP50) },
        ],
      },
      {
        title: 'One-host health change → dns answer',
        yLabel: 'ms',
        series: [
          { label: 'local p50', points: points((r) => r.local.p50) },
          { label: 'local p99', points: points((r) => r.local.p99) },
          { label: 'remote p50', points: points((r) => r.remote.p50) },
          { label: 'remote p99', points: points((r) => r.remote.p99) },
        ],
      },
      {
        title: 'Memory (RSS) per service',
        yLabel: 'MiB',
        series: SERVICES.map((s) => ({ label: s, points: points((r) => (s === 'records' || s === 'dns' ? eu(r, s, 'rss') : maxOf(r, s, 'rss')) / 2 ** 20) })),
      },
      {
        title: `CPU at rest per service (${IDLE_SECONDS} s)`,
        yLabel: '% of one core',
        series: SERVICES.map((s) => ({ label: s, points: points((r) => (s === 'records' || s === 'dns' ? eu(r, s, 'cpu') : maxOf(r, s, 'cpu'))) })),
      },
    ],
  });
  writeFileSync(join(root, 'docs', 'scale.svg'), svg);
  log('\nwrote the "Scale" section of docs/benchmarks.md and docs/scale.svg');
}

async function main() {
  build();
  const results = [];
  for (const size of SIZES) results.push(await runSize(size));
  const totalMs = performance.now() - benchStart;
  log(`\nscale bench: ${(totalMs / 1000).toFixed(0)} s in all`);
  if (!process.env.BENCH_NO_DOC) writeDoc(results, totalMs);
}

const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('SIGINT', () => (cleanup(), process.exit(130)));
process.on('SIGTERM', () => (cleanup(), process.exit(143)));
main()
  .then(() => (cleanup(), process.exit(0)))
  .catch((err) => {
    process.stderr.write(`scale bench failed: ${err.stack ?? err}\n`);
    cleanup();
    process.exit(1);
  });
