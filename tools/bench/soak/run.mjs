#!/usr/bin/env node
// Soak benchmark (`node tools/bench/soak/run.mjs`, or `npm run bench -- soak`).
//
// Two regions on loopback (tools/hardening/harness), each with prober, peer-sync, witness,
// two records replicas and dns. First a 5 s full-speed dnsperf burst at eu's nameserver
// measures the maximum; then dnsperf runs at half of it (split over both nameservers) for 10
// minutes while the sample apps' health flips every 3 s across regions. It reports queries
// sent and lost, rcodes against the expected ones, how fast each flip reached both
// nameservers, SOA serial monotonicity (an independent poller, 20 Hz per nameserver), p99 and
// max latency, and each service's RSS slope (least squares after the first minute), and
// writes the "Soak" section of docs/benchmarks.md.
//
// Options (environment): BENCH_SOAK_SECONDS (600), BENCH_SOAK_FRACTION (0.5 of the maximum),
// BENCH_SOAK_FLIP_SECONDS (3), BENCH_NO_DOC=1 (print the section instead of writing docs/benchmarks.md).
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runSoak } from '../../hardening/soak.mjs';
import { writeBenchmarkSection } from '../doc-section.mjs';
import { buildApps, root } from './build-apps.mjs';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const FRACTION = Number(process.env.BENCH_SOAK_FRACTION ?? 0.5);
const FLIP_SECONDS = Number(process.env.BENCH_SOAK_FLIP_SECONDS ?? 3);
/** "Memory flat": no service grows faster than this (MiB/min) after the warm-up. */
const FLAT_MIB_PER_MIN = 1;
const log = (m) => process.stdout.write(`${m}\n`);

buildApps(log);
const load = loadavg()[0];
log(`soak: ${SECONDS} s at ${FRACTION * 100} % of the measured maximum, health flipping every ${FLIP_SECONDS} s`);
const r = await runSoak({ seconds: SECONDS, maxFraction: FRACTION, flipSeconds: FLIP_SECONDS, warmupSeconds: Math.min(60, SECONDS / 5), log });

const unexpected = Object.entries(r.unexpectedRcodes);
const rcodes = {};
for (const l of Object.values(r.load)) for (const [k, v] of Object.entries(l.rcodes)) rcodes[k] = (rcodes[k] ?? 0) + v;
const failed = Object.values(r.poller.stats).reduce((a, s) => a + s.failed, 0);
const polled = Object.values(r.poller.stats).reduce((a, s) => a + s.queries, 0);
const worstSlope = r.memory.reduce((a, m) => (m.slopeMiBPerMin > a.slopeMiBPerMin ? m : a));
const warmupSeconds = Math.min(60, SECONDS / 5);
const p99 = Math.max(...Object.values(r.load).map((l) => l.p99Ms));
const max = Math.max(...Object.values(r.load).map((l) => l.maxMs));
const checks = {
  lost: r.lost === 0,
  rcodes: unexpected.length === 0,
  serial: r.poller.regressions.length === 0 && r.poller.restartRegressions.length === 0,
  flips: r.convergence.missed === 0 && r.flipErrors.length === 0,
  // Growth is what a leak looks like; a heap that shrinks after start-up is not one.
  memory: r.memory.every((m) => m.slopeMiBPerMin <= FLAT_MIB_PER_MIN),
  crashes: r.crashes.length === 0,
};

log(`sent ${r.sent}, lost ${r.lost}; rcodes ${JSON.stringify(rcodes)}; unexpected ${JSON.stringify(r.unexpectedRcodes)}`);
log(`flips ${r.flips}: followed ${r.convergence.followed} (p50 ${r.convergence.p50Ms} ms, max ${r.convergence.maxMs} ms), missed ${r.convergence.missed}`);
log(`poller: ${failed} failures in ${polled} queries; serial regressions ${r.poller.regressions.length}; p99 ${p99} ms, max ${max.toFixed(1)} ms`);
for (const m of r.memory) log(`  RSS ${m.process.padEnd(18)} ${m.firstMiB.toFixed(1)} → ${m.lastMiB.toFixed(1)} MiB, slope ${m.slopeMiBPerMin.toFixed(3)} MiB/min`);

{
  const pass = (ok) => (ok ? 'pass' : 'FAIL');
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const section = [
    '## Soak',
    '',
    `Command: \`node tools/bench/soak/run.mjs\` (\`npm run bench -- soak\`), run ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; the twelve services, both sample apps,`,
    `two dnsperf processes and the poller share the cores (load average ${load.toFixed(1)} when the run started).`,
    '',
    'Setup: two regions (eu, us) on 127.0.0.1, each prober, peer-sync, witness, two records replicas and dns (1 worker), from',
    'the demo configs on free ports (`tools/hardening/harness`). eu\'s dns lists the replicas as [records-1, records-2], us\'s',
    'as [records-2, records-1]. The query file (`tools/hardening/harness/load.mjs`) holds every demo host (failover, roundrobin,',
    'geo, weighted, `localtargets-failover`), the apex SOA, a missing name (NXDOMAIN) and a name outside the zone (REFUSED).',
    `The sample apps' health flips every ${FLIP_SECONDS} s: eu fails, eu recovers, us fails, us recovers (one region is always healthy).`,
    '',
    '| measure | value |',
    '|---|---|',
    `| measured maximum (5 s full-speed burst at eu's nameserver) | ${fmt(r.maxQps, 0)} qps |`,
    `| soak rate (${FRACTION * 100} %, split over both nameservers) | ${fmt(r.qps, 0)} qps for ${fmt(r.elapsedSeconds, 0)} s |`,
    `| queries sent / lost | ${r.sent} / ${r.lost} |`,
    `| rcodes | ${Object.entries(rcodes).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| unexpected rcodes | ${unexpected.length ? unexpected.map(([k, v]) => `${k}: ${v}`).join('; ') : 'none'} |`,
    `| latency p99 / max (worse of the two nameservers) | ${fmt(p99, 2)} ms / ${fmt(max, 1)} ms |`,
    `| health flips / moves of failover.gslb.example.com followed at both nameservers | ${r.flips} / ${r.convergence.followed} (p50 ${r.convergence.p50Ms} ms, max ${r.convergence.maxMs} ms, missed ${r.convergence.missed}) |`,
    `| poller (SOA + failover A, 20 Hz per nameserver): failures / queries | ${failed} / ${polled} |`,
    `| SOA serial changes seen / regressions | ${Object.values(r.poller.stats).reduce((a, s) => a + s.serialChanges, 0)} / ${r.poller.regressions.length + r.poller.restartRegressions.length} |`,
    '',
    `RSS per service (own RSS plus child processes, sampled every ${fmt(Math.max(1, Math.min(5, SECONDS / 60)), 0)} s; slope by least squares over the samples after the first ${fmt(warmupSeconds, 0)} s):`,
    '',
    '| process | RSS after warm-up | RSS at the end | max | slope |',
    '|---|---|---|---|---|',
    ...r.memory.map((m) => `| ${m.process.replace(/#1$/, '')} | ${fmt(m.firstMiB)} MiB | ${fmt(m.lastMiB)} MiB | ${fmt(m.maxMiB)} MiB | ${fmt(m.slopeMiBPerMin, 3)} MiB/min |`),
    '',
    `- zero lost queries: ${pass(checks.lost)}`,
    `- no rcode other than the expected: ${pass(checks.rcodes)}`,
    `- SOA serial never decreasing per nameserver: ${pass(checks.serial)}`,
    `- every flip followed at both nameservers before the next one: ${pass(checks.flips)}`,
    `- memory flat (no service grows faster than ${FLAT_MIB_PER_MIN} MiB/min): ${pass(checks.memory)} (steepest: ${worstSlope.process.replace(/#1$/, '')}, ${fmt(worstSlope.slopeMiBPerMin, 3)} MiB/min)`,
    `- no service crashed: ${pass(checks.crashes)}`,
    '',
  ].join('\n');
  const targets = [
    { target: 'soak: zero lost queries', measured: `${r.lost} of ${r.sent}`, met: checks.lost },
    { target: 'soak: only expected rcodes', measured: unexpected.length ? `${unexpected.length} unexpected kinds` : 'none unexpected', met: checks.rcodes },
    { target: 'soak: SOA serial never goes back', measured: `${r.poller.regressions.length + r.poller.restartRegressions.length} regressions`, met: checks.serial },
    { target: `soak: memory flat (growth ≤ ${FLAT_MIB_PER_MIN} MiB/min)`, measured: `steepest ${fmt(worstSlope.slopeMiBPerMin, 3)} MiB/min`, met: checks.memory },
  ];
  if (process.env.BENCH_NO_DOC) {
    log(`\nBENCH_NO_DOC: the "Soak" section, not written:\n\n${section}`);
  } else {
    writeBenchmarkSection(join(root, 'docs', 'benchmarks.md'), 'Soak', section, targets);
    log('wrote the "Soak" section of docs/benchmarks.md');
  }
}
log(Object.values(checks).every(Boolean) ? 'soak: every check passed' : `soak: checks failed: ${Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k).join(', ')}`);
