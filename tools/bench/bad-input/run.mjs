#!/usr/bin/env node
// Bad-input benchmark (`node tools/bench/bad-input/run.mjs`, or `npm run bench -- bad-input`).
//
// Issue #11: feeds every boundary bad input and records what actually happened, as a table
// "input tried → result" in the "Bad input" section of docs/benchmarks.md:
//   - DNS: a long fuzz run over UDP and TCP (mutations of valid queries, and random bytes) with
//     the server's memory before and after; zone transfer, recursion, response sizes, ANY and
//     the amplification factor (dns-abuse.mjs);
//   - gRPC: malformed protobuf and oversized messages to every method of every service, and a
//     flood of streams and clients (grpc-abuse.mjs);
//   - config: every invalid value of every field of every service's schema, and secrets put
//     in the wrong place (config-abuse.mjs);
//   - certificates: expired, wrong CA, missing, wrong SAN, plaintext, against each mTLS server,
//     and a peer region from another CA (tls-abuse.mjs);
//   - Gslb resources and TSIG: their jest matrices (libs/gslb-resources, apps/peer-sync with
//     BIND 9) are run and their results collected.
// A row whose check fails is marked ✗ and makes the run exit 1 after writing the doc.
//
// Options (environment): BENCH_UDP_PACKETS (1,600,000), BENCH_TCP_PACKETS (400,000),
// BENCH_SEED (20261121), BENCH_FLOOD_STREAMS (1000), BENCH_FLOOD_CLIENTS (200),
// BENCH_PARTS=dns,grpc,config,tls,jest (a subset), BENCH_NO_DOC=1 (do not touch docs/benchmarks.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from '../doc-section.mjs';
import { runConfigAbuse } from './config-abuse.mjs';
import { runDnsAbuse } from './dns-abuse.mjs';
import { runGrpcAbuse } from './grpc-abuse.mjs';
import { runTlsAbuse } from './tls-abuse.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const UDP_PACKETS = Number(process.env.BENCH_UDP_PACKETS ?? 1_600_000);
const TCP_PACKETS = Number(process.env.BENCH_TCP_PACKETS ?? 400_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261121);
const FLOOD_STREAMS = Number(process.env.BENCH_FLOOD_STREAMS ?? 1000);
const FLOOD_CLIENTS = Number(process.env.BENCH_FLOOD_CLIENTS ?? 200);
const PARTS = (process.env.BENCH_PARTS ?? 'dns,grpc,config,tls,jest').split(',');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const log = (m) => process.stdout.write(`${m}\n`);

function build() {
  log('building the apps and the test helpers (nx run-many -t build)…');
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'prober', 'peer-sync', 'witness', 'records', 'dns', 'testing', 'peer-sync-testing', '--output-style=static'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) throw new Error('the build failed');
}

/** Runs a jest spec and turns each test into a row: its title is the input, pass/fail the result. */
function jestRows(area, project, spec) {
  const out = join(mkdtempSync(join(tmpdir(), 'meridian-bench-jest-')), 'result.json');
  spawnSync('npx', ['jest', '-c', join(root, project, 'jest.config.cjs'), join(root, project, spec), '--json', `--outputFile=${out}`], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'], env });
  let result;
  try {
    result = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    return [{ area, input: `${project}/${spec}`, result: 'did not run (no jest result)', ok: false }];
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
  return result.testResults.flatMap((file) =>
    file.assertionResults.map((t) => {
      const [input, expected] = t.title.split(/: (?=[^:]*$)/);
      return { area, input: expected ? input : t.title, result: `${t.status === 'passed' ? '' : 'FAILED: '}${expected ?? t.status} (${t.duration ?? 0} ms)`, ok: t.status === 'passed' };
    }),
  );
}

const escape = (s) => String(s).replace(/\|/g, '\\|');

function section(rows, figures, seconds) {
  const lines = [
    '## Bad input',
    '',
    `Written by \`tools/bench/bad-input/run.mjs\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, load ${loadavg()[0].toFixed(1)}, ${seconds.toFixed(0)} s in all).`,
    'Each row is an input the run actually sent and what the process actually did; ✓ means the',
    'result is the one issue #11 asks for (a clear refusal or error, and the rest still working).',
    'Gslb and TSIG rows are the results of their jest matrices, run by the benchmark. CI runs smaller',
    'versions of all of these (apps/*/test/{abuse,bad-grpc-input,config-matrix,mtls-refusals}.spec.ts,',
    'apps/peer-sync/test/tsig-refusals.spec.ts, libs/gslb-resources/test/invalid-gslb-matrix.spec.ts).',
    '',
  ];
  if (figures.dns) {
    const d = figures.dns;
    lines.push(
      `- DNS fuzz: ${d.udp.sent.toLocaleString('en')} UDP packets in ${d.udp.seconds.toFixed(1)} s and ${d.tcp.sent.toLocaleString('en')} TCP messages in ${d.tcp.seconds.toFixed(1)} s; dns (1 worker) RSS ${(d.rssBefore / 2 ** 20).toFixed(1)} → ${(d.rssAfter / 2 ** 20).toFixed(1)} MiB; worker restarts ${d.restarts}.`,
      `- Amplification: the largest UDP reply is ${d.amplification.out} bytes for a ${d.amplification.in}-byte query (${d.amplification.ratio.toFixed(1)}×); no UDP reply can exceed 1232 bytes (512 without EDNS), whatever the zone holds.`,
    );
  }
  if (figures.grpc?.clientFlood) {
    const g = figures.grpc;
    lines.push(`- gRPC flood: ${g.streamFlood.inFlight} of ${FLOOD_STREAMS} streams on one connection ran at once; ${g.clientFlood.inFlight} streams from ${FLOOD_CLIENTS} clients cost ≈ ${g.clientFlood.perStreamKiB.toFixed(1)} KiB each.`);
  }
  lines.push('', '| | area | input tried | result |', '|---|---|---|---|');
  for (const r of rows) lines.push(`| ${r.ok ? '✓' : '✗'} | ${r.area} | ${escape(r.input)} | ${escape(r.result)} |`);
  return lines.join('\n');
}

async function main() {
  const started = performance.now();
  build();
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-bad-input-'));
  const rows = [];
  const figures = {};
  try {
    if (PARTS.includes('dns')) {
      const r = await runDnsAbuse({ root, dir, udpPackets: UDP_PACKETS, tcpPackets: TCP_PACKETS, seed: SEED, log });
      rows.push(...r.rows);
      figures.dns = r.figures;
    }
    if (PARTS.includes('grpc')) {
      const r = await runGrpcAbuse({ root, dir, log, floodStreams: FLOOD_STREAMS, floodClients: FLOOD_CLIENTS });
      rows.push(...r.rows);
      figures.grpc = r.figures;
    }
    if (PARTS.includes('config')) rows.push(...(await runConfigAbuse({ root, dir, log })).rows);
    if (PARTS.includes('tls')) rows.push(...(await runTlsAbuse({ root, dir, log })).rows);
    if (PARTS.includes('jest')) {
      log('jest: the Gslb matrix and the TSIG refusals…');
      rows.push(...jestRows('Gslb', 'libs/gslb-resources', 'test/invalid-gslb-matrix.spec.ts'));
      rows.push(...jestRows('TSIG', 'apps/peer-sync', 'test/tsig-refusals.spec.ts'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const text = section(rows, figures, seconds);
  log(`\n${text}\n`);
  if (!process.env.BENCH_NO_DOC) writeBenchmarkSection(join(root, 'docs', 'benchmarks.md'), 'Bad input', text);
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    log(`${failed.length} row(s) did not get the expected result`);
    process.exit(1);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
