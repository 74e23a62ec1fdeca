#!/usr/bin/env node
// DNS throughput benchmark (`node tools/bench/dns/run.mjs`, or `npm run bench -- dns`).
//
// Serves one zone from Meridian's dns app (1 and 2 workers), BIND 9, Knot DNS, NSD,
// PowerDNS (bind backend, static) and PowerDNS with LUA records (health-checked ifportup
// answers, the closest thing to a GSLB peer), all on 127.0.0.1, and runs dnsperf against each
// in interleaved rounds. Each round has a throughput phase (as fast as dnsperf can send) and
// a latency phase (a fixed rate, every query's latency recorded, for p50/p99) on the plain mix
// (A queries, 90 % existing names), then two throughput phases on the realistic mix (A and AAAA
// of existing names, 10 % NXDOMAIN), without and with an EDNS Client Subnet option on every
// query (dnsperf's -E adds one option to every query, so ECS is a phase of its own). It prints the
// medians and the ratios, writes the "DNS throughput" section of docs/benchmarks.md, and
// stops every server it started. Missing Debian packages are installed with apt-get (root).
//
// Options (environment): BENCH_ROUNDS (3), BENCH_SECONDS (4, the plain throughput phase),
// BENCH_MIX_SECONDS (3, each realistic-mix phase),
// BENCH_LATENCY_QPS (20000), BENCH_QUICK=1 (1 round of 2 s phases),
// BENCH_ONLY=meridian-1,bind (a subset), BENCH_NO_BUILD=1 (use dist/ as built), BENCH_NO_DOC=1 (do not touch docs/benchmarks.md).
import { verdict, writeBenchmarkSection } from '../doc-section.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChildren } from '../../lib/stop-children.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const QUICK = Boolean(process.env.BENCH_QUICK);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 4));
const LATENCY_QPS = Number(process.env.BENCH_LATENCY_QPS ?? 20000);
const LATENCY_SECONDS = QUICK ? 1 : 2;
const MIX_SECONDS = Number(process.env.BENCH_MIX_SECONDS ?? (QUICK ? 1 : 3));
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const ORIGIN = 'gslb.example.com';
const HOSTS = 100;
// Loopback targets, so PowerDNS's ifportup health checks never leave the machine.
const TARGETS = ['127.0.0.10', '127.0.0.11', '127.0.0.12'];
// The AAAA records: the same loopback targets, IPv4-mapped, so PowerDNS's ifportup can check them.
const TARGETS6 = TARGETS.map((t) => `::ffff:${t}`);
// EDNS Client Subnet (option 8): family 1, source prefix 24, scope 0, 10.1.2.0/24.
const ECS_OPTION = '8:000118000a0102';
const HEALTH_PORT = 18080;

const log = (m) => process.stdout.write(`${m}\n`);
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-dns-'));
const children = [];
const closers = [];

// ---------------------------------------------------------------- packages and build
function ensurePackages() {
  const needed = ['dnsperf', 'bind9', 'knot', 'nsd', 'pdns-server', 'pdns-backend-bind'];
  const installed = (pkg) => /install ok installed/.test(spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg]).stdout?.toString() ?? '');
  const missing = needed.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => {
    const r = spawnSync(asRoot[0] ?? args[0], asRoot.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed`);
  };
  // Packages must not start their own daemons: this script starts its own instances.
  const policy = '/usr/sbin/policy-rc.d';
  const addedPolicy = !existsSync(policy);
  if (addedPolicy) run(['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`]);
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  } finally {
    if (addedPolicy) run(['rm', '-f', policy]);
  }
}

function build() {
  if (process.env.BENCH_NO_BUILD) return log('BENCH_NO_BUILD: using the built dist/ as it is');
  log('building the dns app (nx run dns:build)…');
  const r = spawnSync('npx', ['nx', 'run', 'dns:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
  if (r.status !== 0) throw new Error('the dns app does not build');
}

// ---------------------------------------------------------------- the zone, in every format
const hostName = (i) => `app${i}`;

function masterFile({ lua = false } = {}) {
  const lines = [
    `$ORIGIN ${ORIGIN}.`,
    '$TTL 30',
    `@ 60 IN SOA ns1.${ORIGIN}. hostmaster.${ORIGIN}. 1 3600 600 86400 30`,
    `@ 300 IN NS ns1.${ORIGIN}.`,
    `ns1 300 IN A 127.0.0.53`,
  ];
  for (let i = 0; i < HOSTS; i++) {
    if (lua) {
      lines.push(`${hostName(i)} 30 IN LUA A "ifportup(${HEALTH_PORT}, {${TARGETS.map((t) => `'${t}'`).join(', ')}})"`);
      lines.push(`${hostName(i)} 30 IN LUA AAAA "ifportup(${HEALTH_PORT}, {${TARGETS6.map((t) => `'${t}'`).join(', ')}})"`);
    } else {
      for (const t of TARGETS) lines.push(`${hostName(i)} 30 IN A ${t}`);
      for (const t of TARGETS6) lines.push(`${hostName(i)} 30 IN AAAA ${t}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function meridianSnapshot() {
  const target = (family) => (address) => ({ address, family, source: 'TARGET_SOURCE_STATIC' });
  const rotations = (targets, family) => targets.map((_, i) => ({ targets: [...targets.slice(i), ...targets.slice(0, i)].map(target(family)) }));
  return {
    version: 1,
    snapshot: {
      zones: [
        {
          header: {
            origin: ORIGIN,
            soa: { mname: `ns1.${ORIGIN}`, rname: `hostmaster.${ORIGIN}`, refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 60 },
            nameservers: [`ns1.${ORIGIN}`],
            nsTtlSeconds: 300,
          },
          recordSets: [
            { name: `ns1.${ORIGIN}`, ttlSeconds: 300, records: { records: [{ type: 'RECORD_TYPE_A', data: '127.0.0.53' }] } },
            ...Array.from({ length: HOSTS }, (_, i) => ({
              name: `${hostName(i)}.${ORIGIN}`,
              ttlSeconds: 30,
              host: {
                a: { strategy: 'STRATEGY_TYPE_ROUND_ROBIN', variants: rotations(TARGETS, 'ADDRESS_FAMILY_IPV4'), rotate: {} },
                aaaa: { strategy: 'STRATEGY_TYPE_ROUND_ROBIN', variants: rotations(TARGETS6, 'ADDRESS_FAMILY_IPV6'), rotate: {} },
              },
            })),
          ],
        },
      ],
    },
  };
}

function queryFile() {
  // 90 % existing hosts, 10 % NXDOMAIN: what an authoritative GSLB server mostly sees.
  const lines = [];
  for (let i = 0; i < HOSTS; i++) lines.push(`${hostName(i)}.${ORIGIN} A`);
  for (let i = 0; i < HOSTS / 9; i++) lines.push(`missing${i}.${ORIGIN} A`);
  return `${lines.join('\n')}\n`;
}

/** The realistic mix: 90 % existing names (two A queries for one AAAA), 10 % NXDOMAIN (A and AAAA). */
function mixFile() {
  const lines = [];
  for (let i = 0; i < HOSTS; i++) lines.push(`${hostName(i)}.${ORIGIN} A`, `${hostName(i)}.${ORIGIN} AAAA`, `${hostName(i)}.${ORIGIN} A`);
  for (let i = 0; i < (HOSTS * 3) / 9; i++) lines.push(`missing${i}.${ORIGIN} ${i % 3 === 2 ? 'AAAA' : 'A'}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- servers
/** A port free on 127.0.0.1 for both TCP and UDP now (other work on the machine may hold fixed ones). */
async function port() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = createServer();
    await new Promise((resolve, reject) => tcp.once('error', reject).listen(0, '127.0.0.1', resolve));
    const candidate = tcp.address().port;
    const udp = createSocket('udp4');
    const free = await new Promise((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(candidate, '127.0.0.1', () => resolve(true));
    });
    await new Promise((resolve) => (free ? udp.close(resolve) : resolve()));
    await new Promise((resolve) => tcp.close(resolve));
    if (free) return candidate;
  }
  throw new Error('no free port on 127.0.0.1');
}

function startChild(name, command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  children.push({ name, child, output: () => output });
  return child;
}

async function waitForAnswer(name, serverPort, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = spawnSync('dig', ['+short', '+tries=1', '+time=1', '-p', String(serverPort), '@127.0.0.1', `${hostName(0)}.${ORIGIN}`, 'A']);
    if (r.status === 0 && /127\.0\.0\.1[0-2]/.test(r.stdout.toString())) return;
    await new Promise((r2) => setTimeout(r2, 250));
  }
  const entry = children.find((c) => c.name === name);
  throw new Error(`${name} did not answer on port ${serverPort} within ${timeoutMs} ms:\n${entry?.output().slice(-2000) ?? ''}`);
}

const servers = {
  'meridian-1': (p) => meridian(p, 1),
  'meridian-2': (p) => meridian(p, 2),
  bind: (p) => {
    const zone = join(dir, 'bind.zone');
    writeFileSync(zone, masterFile());
    const conf = join(dir, 'named.conf');
    writeFileSync(
      conf,
      `options { directory "${dir}"; listen-on port ${p} { 127.0.0.1; }; listen-on-v6 { none; }; pid-file none; recursion no; minimal-responses yes; };\n` +
        `controls { };\nzone "${ORIGIN}" { type primary; file "${zone}"; };\n`,
    );
    startChild('bind', '/usr/sbin/named', ['-g', '-c', conf]);
  },
  knot: (p) => {
    const zone = join(dir, `${ORIGIN}.zone`);
    writeFileSync(zone, masterFile());
    const conf = join(dir, 'knot.conf');
    writeFileSync(
      conf,
      `server:\n  rundir: "${dir}/knot-run"\n  listen: 127.0.0.1@${p}\n` +
        `database:\n  storage: "${dir}/knot-db"\n` +
        `template:\n  - id: default\n    storage: "${dir}"\n    zonefile-sync: -1\n    journal-content: none\n` +
        `zone:\n  - domain: ${ORIGIN}\n    file: "${zone}"\n`,
    );
    spawnSync('mkdir', ['-p', `${dir}/knot-run`, `${dir}/knot-db`]);
    startChild('knot', '/usr/sbin/knotd', ['-c', conf]);
  },
  nsd: (p) => {
    const zone = join(dir, 'nsd.zone');
    writeFileSync(zone, masterFile());
    const conf = join(dir, 'nsd.conf');
    writeFileSync(
      conf,
      `server:\n  ip-address: 127.0.0.1@${p}\n  username: ""\n  zonesdir: "${dir}"\n  database: ""\n  pidfile: "${dir}/nsd.pid"\n  xfrdfile: "${dir}/xfrd.state"\n  zonelistfile: "${dir}/zone.list"\n  server-count: ${cpus().length}\n  verbosity: 1\n  rrl-ratelimit: 0\n` +
        `remote-control:\n  control-enable: no\n` +
        `zone:\n  name: ${ORIGIN}\n  zonefile: "${zone}"\n`,
    );
    startChild('nsd', '/usr/sbin/nsd', ['-d', '-c', conf]);
  },
  'pdns-static': (p) => pdns('pdns-static', p, false),
  'pdns-lua': (p) => pdns('pdns-lua', p, true),
};

function meridian(p, workers) {
  const snapshot = join(dir, 'meridian-zone.json');
  writeFileSync(snapshot, JSON.stringify(meridianSnapshot()));
  const conf = join(dir, `meridian-${workers}.yaml`);
  writeFileSync(
    conf,
    `grpc: {host: 127.0.0.1, port: 0}\nmetrics: {host: 127.0.0.1, port: 0}\nlog: {level: warn}\n` +
      `dns: {host: 127.0.0.1, port: ${p}, workers: ${workers}}\nsnapshotFile: ${snapshot}\n`,
  );
  startChild(`meridian-${workers}`, process.execPath, [join(root, 'apps', 'dns', 'dist', 'main.js'), '--config', conf]);
}

function pdns(name, p, lua) {
  const zone = join(dir, `${name}.zone`);
  writeFileSync(zone, masterFile({ lua }));
  const bindConf = join(dir, `${name}.named.conf`);
  writeFileSync(bindConf, `zone "${ORIGIN}" { type master; file "${zone}"; };\n`);
  const socketDir = join(dir, `${name}-sock`);
  spawnSync('mkdir', ['-p', socketDir]);
  startChild(name, '/usr/sbin/pdns_server', [
    '--no-config',
    '--daemon=no',
    '--guardian=no',
    '--disable-syslog',
    '--write-pid=no',
    `--socket-dir=${socketDir}`,
    '--local-address=127.0.0.1',
    `--local-port=${p}`,
    '--launch=bind',
    `--bind-config=${bindConf}`,
    `--enable-lua-records=${lua ? 'yes' : 'no'}`,
    `--receiver-threads=${cpus().length}`,
    '--loglevel=3',
  ]);
}

/** The health-checked targets of the LUA records: something listens on each. */
async function startHealthTargets() {
  for (const address of TARGETS) {
    const server = createServer((socket) => socket.end());
    await new Promise((resolve, reject) => server.once('error', reject).listen(HEALTH_PORT, address, resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
  }
}

// ---------------------------------------------------------------- dnsperf
function dnsperf(serverPort, queries, extra) {
  const r = spawnSync('dnsperf', ['-s', '127.0.0.1', '-p', String(serverPort), '-d', queries, ...extra], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`dnsperf failed: ${r.stderr}`);
  return r.stdout.toString();
}

function throughput(serverPort, queries, extra = [], seconds = SECONDS) {
  const out = dnsperf(serverPort, queries, ['-l', String(seconds), '-q', '500', ...extra]);
  const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    sent: num(/Queries sent:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
  };
}

function latency(serverPort, queries) {
  const out = dnsperf(serverPort, queries, ['-l', String(LATENCY_SECONDS), '-Q', String(LATENCY_QPS), '-v']);
  const samples = [];
  for (const line of out.split('\n')) {
    const m = /^> \S+ \S+ \S+ ([\d.]+)$/.exec(line);
    if (m) samples.push(Number(m[1]) * 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return { p50Ms: at(0.5), p99Ms: at(0.99), samples: samples.length, fixedSent: Number(/Queries sent:\s+(\d+)/.exec(out)?.[1] ?? NaN), fixedLost: Number(/Queries lost:\s+(\d+)/.exec(out)?.[1] ?? NaN) };
}

const median = (xs) => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------- main
async function stopAll() {
  await stopChildren(children);
  for (const close of closers) await close();
}

const loadBefore = loadavg()[0];

async function main() {
  if (loadBefore > 1.5) log(`warning: load average ${loadBefore.toFixed(1)} before the run; other processes share these cores and skew the figures`);
  ensurePackages();
  build();
  const queries = join(dir, 'queries.txt');
  writeFileSync(queries, queryFile());
  const mix = join(dir, 'mix.txt');
  writeFileSync(mix, mixFile());
  await startHealthTargets();
  const names = Object.keys(servers).filter((n) => !ONLY || ONLY.includes(n));
  const ports = {};
  for (const name of names) {
    ports[name] = await port();
    servers[name](ports[name]);
  }
  for (const name of names) await waitForAnswer(name, ports[name]);
  // PowerDNS's LUA health checks need a moment to mark the targets up.
  await new Promise((r) => setTimeout(r, 3000));
  // Every server must give the mix's answers: AAAA, NXDOMAIN, and an answer to an ECS query.
  for (const name of names) checkMixAnswers(name, ports[name]);
  log(`all ${names.length} servers answer; ${ROUNDS} rounds of ${SECONDS} s throughput + ${LATENCY_SECONDS} s latency at ${LATENCY_QPS} qps, then ${MIX_SECONDS} s of the realistic mix without and with ECS, each`);

  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    // Interleave, and rotate the order each round so no server always goes first.
    const order = names.map((_, i) => names[(i + round - 1) % names.length]);
    for (const name of order) {
      const t = throughput(ports[name], queries);
      // Let every queue drain, so the latency phase does not wait behind the blast's backlog.
      await new Promise((r) => setTimeout(r, 500));
      const l = latency(ports[name], queries);
      const m = throughput(ports[name], mix, [], MIX_SECONDS);
      const e = throughput(ports[name], mix, ['-E', ECS_OPTION], MIX_SECONDS);
      results[name].push({ ...t, ...l, mixQps: m.qps, ecsQps: e.qps });
      log(`round ${round} ${name.padEnd(12)} ${t.qps.toFixed(0).padStart(7)} qps (unanswered at cutoff ${t.lost})  p50 ${l.p50Ms.toFixed(3)} ms  p99 ${l.p99Ms.toFixed(3)} ms  lost ${l.fixedLost}/${l.fixedSent} at ${LATENCY_QPS} qps; mix ${m.qps.toFixed(0)} qps, mix+ECS ${e.qps.toFixed(0)} qps`);
    }
  }

  const summary = names.map((name) => ({
    name,
    qps: median(results[name].map((r) => r.qps)),
    qpsMin: Math.min(...results[name].map((r) => r.qps)),
    qpsMax: Math.max(...results[name].map((r) => r.qps)),
    cutoff: median(results[name].map((r) => r.lost)),
    lost: results[name].reduce((n, r) => n + r.fixedLost, 0),
    sent: results[name].reduce((n, r) => n + r.fixedSent, 0),
    p50Ms: median(results[name].map((r) => r.p50Ms)),
    p99Ms: median(results[name].map((r) => r.p99Ms)),
    mixQps: median(results[name].map((r) => r.mixQps)),
    ecsQps: median(results[name].map((r) => r.ecsQps)),
  }));
  const by = Object.fromEntries(summary.map((s) => [s.name, s]));
  const ratio = (a, b, key = 'qps') => (by[a] && by[b] ? by[a][key] / by[b][key] : NaN);
  const table = [
    `| server | qps (median) | qps (min–max over rounds) | in flight at cutoff | lost / sent at ${LATENCY_QPS} qps | p50 ms | p99 ms | qps vs BIND 9 | qps vs PowerDNS LUA |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...summary.map(
      (s) =>
        `| ${s.name} | ${s.qps.toFixed(0)} | ${s.qpsMin.toFixed(0)}–${s.qpsMax.toFixed(0)} | ${s.cutoff} | ${s.lost} / ${s.sent} | ${s.p50Ms.toFixed(3)} | ${s.p99Ms.toFixed(3)} | ${ratio(s.name, 'bind').toFixed(2)}× | ${ratio(s.name, 'pdns-lua').toFixed(2)}× |`,
    ),
  ].join('\n');
  const mixTable = [
    '| server | realistic mix qps (median) | vs BIND 9 | mix with ECS on every query, qps (median) | vs BIND 9 |',
    '|---|---:|---:|---:|---:|',
    ...summary.map((s) => `| ${s.name} | ${s.mixQps.toFixed(0)} | ${ratio(s.name, 'bind', 'mixQps').toFixed(2)}× | ${s.ecsQps.toFixed(0)} | ${ratio(s.name, 'bind', 'ecsQps').toFixed(2)}× |`),
  ].join('\n');
  log(`\n${table}\n\n${mixTable}\n`);

  const best = ['meridian-1', 'meridian-2'].filter((n) => by[n]).sort((a, b) => by[b].qps - by[a].qps)[0];
  const bestBy = (key) => ['meridian-1', 'meridian-2'].filter((n) => by[n]).sort((a, b) => by[b][key] - by[a][key])[0];
  const [bestMix, bestEcs] = [bestBy('mixQps'), bestBy('ecsQps')];
  const rows =
    best && by.bind && by['pdns-lua']
      ? [
          { target: 'DNS qps ≥ BIND 9 (plain mix)', measured: `${best}: ${ratio(best, 'bind').toFixed(2)}×`, met: ratio(best, 'bind') >= 1 },
          { target: 'DNS qps ≥ BIND 9 (realistic mix: A/AAAA, NXDOMAIN)', measured: `${bestMix}: ${ratio(bestMix, 'bind', 'mixQps').toFixed(2)}×`, met: ratio(bestMix, 'bind', 'mixQps') >= 1 },
          { target: 'DNS qps ≥ BIND 9 (realistic mix, ECS on every query)', measured: `${bestEcs}: ${ratio(bestEcs, 'bind', 'ecsQps').toFixed(2)}×`, met: ratio(bestEcs, 'bind', 'ecsQps') >= 1 },
          { target: 'DNS qps ≥ 10× PowerDNS LUA records', measured: `${ratio(best, 'pdns-lua').toFixed(2)}×`, met: ratio(best, 'pdns-lua') >= 10 },
          { target: `DNS: zero lost queries at ${LATENCY_QPS} qps`, measured: `${by[best].lost} lost (${best})`, met: by[best].lost === 0 },
          { target: `DNS p99 no worse than BIND 9 at ${LATENCY_QPS} qps`, measured: `${by[best].p99Ms.toFixed(3)} ms vs ${by.bind.p99Ms.toFixed(3)} ms`, met: by[best].p99Ms <= by.bind.p99Ms },
        ]
      : [];
  const targets = rows.map((t) => `- ${t.target}: ${verdict(t.met)} (${t.measured})`).join('\n');
  if (targets) log(targets);

  if (!process.env.BENCH_NO_DOC) writeDoc(table, mixTable, targets, rows);
}

function version(cmd, args, pattern = /\S/) {
  const r = spawnSync(cmd, args);
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => pattern.test(l))?.trim() ?? '?';
}

/** dig at a server: an AAAA answer, an NXDOMAIN, and an answer to a query carrying ECS. */
function checkMixAnswers(name, serverPort) {
  const dig = (...args) => spawnSync('dig', ['+tries=1', '+time=2', '-p', String(serverPort), '@127.0.0.1', ...args]).stdout.toString();
  const aaaa = dig('+short', `${hostName(0)}.${ORIGIN}`, 'AAAA');
  const nx = dig(`missing0.${ORIGIN}`, 'A');
  const ecs = dig('+short', '+subnet=10.1.2.0/24', `${hostName(0)}.${ORIGIN}`, 'A');
  const problems = [
    /::ffff:127\.0\.0\.1[0-2]|::ffff:7f00:a/.test(aaaa) ? '' : `AAAA answers ${JSON.stringify(aaaa.trim())}`,
    /status: NXDOMAIN/.test(nx) ? '' : 'a missing name is not NXDOMAIN',
    /127\.0\.0\.1[0-2]/.test(ecs) ? '' : `an ECS query answers ${JSON.stringify(ecs.trim())}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`${name} does not serve the mix: ${problems.join('; ')}`);
}

function writeDoc(table, mixTable, targets, rows) {
  const path = join(root, 'docs', 'benchmarks.md');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    '## DNS throughput',
    '',
    `Command: \`node tools/bench/dns/run.mjs\` (\`npm run bench -- dns\`), run ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; dnsperf, every server and Meridian share the same ${cpus().length} cores.`,
    `Load average (1 min) before the run ${loadBefore.toFixed(2)}, after ${loadavg()[0].toFixed(2)}: other work on the machine skews every server alike, interleaving spreads it.`,
    `Versions: ${version('dnsperf', ['-h'], /^Version/).replace(/^Version\s*/, 'dnsperf ')}; ${version('/usr/sbin/named', ['-v']).replace(/ \(.*$/, '')}; ${version('/usr/sbin/knotd', ['-V'])}; ${version('/usr/sbin/nsd', ['-v'])}; ${version('/usr/sbin/pdns_server', ['--version'], /PowerDNS Authoritative/).replace(/^.*(PowerDNS Authoritative Server [\d.]+).*$/, '$1')}.`,
    '',
    `Zone: \`${ORIGIN}\`, ${HOSTS} hosts with 3 A and 3 AAAA records each (the AAAA are the same loopback targets, IPv4-mapped;`,
    'Meridian: a rotate plan of 3 variants per family; PowerDNS LUA: `ifportup` over the 3 targets, which listen).',
    `Plain mix: type A for the ${HOSTS} hosts and for ${Math.floor(HOSTS / 9)} missing names`,
    `(NXDOMAIN), UDP, from one dnsperf process (\`-q 500\` outstanding). ${ROUNDS} interleaved rounds per server: ${SECONDS} s at`,
    `full speed (qps; dnsperf counts the queries still in flight when the time limit cuts the run as lost, so that column is the`,
    `window, not drops), then ${LATENCY_SECONDS} s at ${LATENCY_QPS} qps with every query's latency recorded (p50, p99, and lost:`,
    'every query must be answered). Medians over rounds.',
    '',
    table,
    '',
    `Realistic mix: A and AAAA queries of existing names (two A for one AAAA, 90 % of the queries) and missing names`,
    `(A and AAAA, 10 %, NXDOMAIN); ${MIX_SECONDS} s at full speed per round, once without EDNS options and once with an EDNS Client`,
    'Subnet option (10.1.2.0/24) on every query: dnsperf adds an EDNS option to every query or to none (`-E`), so the',
    'ECS share is a phase of its own rather than a fraction of one run. Every host here is round robin, so no server',
    'selects by subnet: the phase measures the cost of carrying the option (parsing it, and any echo a server does), not a',
    'geo lookup; BIND, Knot, NSD and static PowerDNS have no ECS configuration and ignore it.',
    '',
    mixTable,
    '',
    targets,
    '',
    'Where the time goes: a CPU profile of a Meridian worker under dnsperf shows about half of its time',
    "in `dgram`'s send (the `sendmsg` system call, one per reply) and most of the rest waiting for",
    'packets; the query handler itself (parse, lookup, variant pick, reply copy) costs about 0.5–1 µs per',
    'query. Node 20 has neither `recvmmsg`/`sendmmsg` batching nor `SO_REUSEPORT`, so the workers share one',
    'socket; the C servers batch or spread across sockets. dnsperf runs on the same two cores as the server,',
    'so every figure is "what is left beside the load generator", and other work on a shared machine moves',
    'every server\'s figure between rounds (see the min–max column).',
    '',
  ].join('\n');
  writeBenchmarkSection(path, 'DNS throughput', section, rows);
  log(`wrote the "DNS throughput" section of ${path}`);
}

let exitCode = 0;
const onSignal = () => {
  void stopAll().then(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
try {
  await main();
} catch (err) {
  process.stderr.write(`bench dns failed: ${err.stack ?? err}\n`);
  exitCode = 1;
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
