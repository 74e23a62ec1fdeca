#!/usr/bin/env node
// Chaos benchmark (`node tools/bench/chaos/run.mjs`, or `npm run bench -- chaos`).
//
// Two regions on loopback (tools/hardening/harness), each with prober, peer-sync, witness,
// two records replicas and dns, under dnsperf load (BENCH_CHAOS_QPS, split over both
// nameservers). Each service in turn is killed with SIGKILL in one region and with SIGTERM in
// the other, left down for a second and restarted; then eu's health flips and both
// nameservers must follow it there and back. Per step: exit and restart times, what an
// independent poller (SOA + failover A, 20 Hz per nameserver) saw while the service was down
// (failures, answers), the load's lost queries, the nameserver outage when dns itself died,
// and the time to reconverge; over the run: SOA serial regressions. Writes the "Chaos" section
// of docs/benchmarks.md.
//
// Options (environment): BENCH_CHAOS_QPS (1000), BENCH_NO_DOC=1 (print the section instead of writing docs/benchmarks.md).
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runChaos } from '../../hardening/chaos.mjs';
import { ADDRESSES } from '../../hardening/harness/region-fleet.mjs';
import { writeBenchmarkSection } from '../doc-section.mjs';
import { buildApps, root } from '../soak/build-apps.mjs';

const QPS = Number(process.env.BENCH_CHAOS_QPS ?? 1000);
const log = (m) => process.stdout.write(`${m}\n`);

buildApps(log);
const load = loadavg()[0];
const r = await runChaos({ plan: 'full', qps: QPS, log });

// The killed dns's own nameserver is expected to miss answers while it is down; nothing else is.
const spared = (s, region) => !(s.service === 'dns' && s.region === region);
const rows = r.steps.map((s) => {
  const regions = Object.keys(s.outage);
  const failures = regions.filter((g) => spared(s, g)).reduce((a, g) => a + s.outage[g].failed, 0);
  const wrong = regions.filter((g) => spared(s, g)).reduce((a, g) => a + Object.entries(s.outage[g].addresses).filter(([k]) => k !== ADDRESSES.eu).reduce((b, [, v]) => b + v, 0), 0);
  const lost = regions.filter((g) => spared(s, g)).reduce((a, g) => a + s.load[g].lost, 0);
  const unexpected = regions.reduce((a, g) => a + Object.values(s.load[g].unexpected).reduce((b, v) => b + v, 0), 0);
  const ownLost = s.service === 'dns' ? `${s.load[s.region].lost} / ${s.load[s.region].sent}` : '–';
  return { s, failures, wrong, lost, unexpected, ownLost, ok: failures === 0 && wrong === 0 && lost === 0 && unexpected === 0 };
});
const reconverge = r.steps.flatMap((s) => [s.failoverMs, s.failbackMs]).sort((a, b) => a - b);
const checks = {
  answering: rows.every((x) => x.ok),
  versions: r.regressions.length === 0 && r.restartRegressions.length === 0,
  crashes: r.crashes.length === 0,
  time: r.totalSeconds <= 180,
};
for (const x of rows) log(`${x.s.service} ${x.s.region} ${x.s.signal}: failures ${x.failures}, other answers ${x.wrong}, lost ${x.lost}, unexpected rcodes ${x.unexpected}`);
log(`serial regressions ${r.regressions.length} (+${r.restartRegressions.length} across dns restarts); total ${r.totalSeconds.toFixed(1)} s`);

{
  const pass = (ok) => (ok ? 'pass' : 'FAIL');
  const section = [
    '## Chaos',
    '',
    `Command: \`node tools/bench/chaos/run.mjs\` (\`npm run bench -- chaos\`), run ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; everything shares the cores`,
    `(load average ${load.toFixed(1)} when the run started).`,
    '',
    'Setup: the soak\'s two regions (see "Soak"), under dnsperf at ' + `${QPS} qps (half at each nameserver, 6 s per step). Each service in turn is`,
    'killed, left down for 1 s and restarted; once it listens again, eu\'s sample app fails and recovers, and both',
    'nameservers must answer failover.gslb.example.com with us\'s, then eu\'s address. "Down" columns count, at every',
    'nameserver but a killed dns\'s own, from the kill to that flip: poller failures, answers other than eu\'s address',
    '(there was no health change, so the last zone is the right one), and lost or unexpected dnsperf queries.',
    '',
    '| service | region | signal | exit | restart | down: failures | down: other answers | lost | unexpected rcodes | own nameserver outage (lost) | failover / failback |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `| ${x.s.service} | ${x.s.region} | ${x.s.signal} | ${x.s.exit} in ${x.s.exitMs} ms | ${x.s.restartMs} ms | ${x.failures} | ${x.wrong} | ${x.lost} | ${x.unexpected} | ${x.s.outageMs !== undefined ? `${x.s.outageMs} ms (${x.ownLost})` : '–'} | ${x.s.failoverMs} / ${x.s.failbackMs} ms |`,
    ),
    '',
    `SOA serial changes seen: ${Object.entries(r.serialChanges).map(([k, v]) => `${k} ${v}`).join(', ')}; regressions: ${r.regressions.length} within a dns process, ${r.restartRegressions.length} across a dns restart.`,
    `Reconvergence after a restart (both flips of every step): p50 ${reconverge[Math.floor(reconverge.length / 2)]} ms, max ${reconverge.at(-1)} ms.`,
    '',
    `- DNS kept answering from the last zone while each service was down (no failure, no other answer, no lost query): ${pass(checks.answering)}`,
    `- no stale version served after a newer one (SOA serial never decreasing per nameserver): ${pass(checks.versions)}`,
    `- every service reconverged (each flip followed at both nameservers): pass (a step that does not reconverge within 30 s fails the run)`,
    `- no unexpected exit: ${pass(checks.crashes)}`,
    `- whole run ≤ 3 minutes: ${pass(checks.time)} (${r.totalSeconds.toFixed(0)} s)`,
    '',
  ].join('\n');
  const targets = [
    { target: 'chaos: DNS answers from the last zone while a service is down', measured: `${rows.filter((x) => !x.ok).length} of ${rows.length} steps with failures`, met: checks.answering },
    { target: 'chaos: no zone version regression', measured: `${r.regressions.length + r.restartRegressions.length} regressions`, met: checks.versions },
    { target: 'chaos: reconverged after every restart', measured: `max ${reconverge.at(-1)} ms`, met: true },
    { target: 'chaos: run ≤ 3 min', measured: `${r.totalSeconds.toFixed(0)} s`, met: checks.time },
  ];
  if (process.env.BENCH_NO_DOC) {
    log(`\nBENCH_NO_DOC: the "Chaos" section, not written:\n\n${section}`);
  } else {
    writeBenchmarkSection(join(root, 'docs', 'benchmarks.md'), 'Chaos', section, targets);
    log('wrote the "Chaos" section of docs/benchmarks.md');
  }
}
log(Object.values(checks).every(Boolean) ? 'chaos: every check passed' : `chaos: checks failed: ${Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k).join(', ')}`);
