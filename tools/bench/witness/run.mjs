#!/usr/bin/env node
// Witness verdict benchmark (`node tools/bench/witness/run.mjs`, or `npm run bench -- witness`).
//
// Builds the multi-region test network (network namespaces: regions eu and us with tiny
// authoritative responders serving their heartbeats, the edge BIND, three Unbound witness
// resolvers), runs the built witness app in both regions with the production timings
// (interval 1 s, timeout 1.5 s, hysteresis 3 s down / 2 s alive), and measures, as us's witness
// sees eu, over BENCH_ROUNDS rounds:
//   - eu cut off from everything → DOWN, and rejoined → ALIVE (time from the cut / the heal);
//   - the eu ↔ us link cut for BENCH_HOLD_SECONDS → any verdict other than ALIVE (must be none);
//   - us cut off from everything for BENCH_HOLD_SECONDS → any DOWN decision (must be none).
// Prints the medians and writes the "Witness verdicts" section of docs/benchmarks.md unless
// BENCH_NO_DOC=1 (BENCH_QUICK=1: 1 round, 5 s holds; BENCH_NO_BUILD=1: dist/ as built). Needs root (network namespaces), BIND 9 and Unbound.
import { verdict, writeBenchmarkSection } from '../doc-section.mjs';
import { watchVerdicts } from './verdicts.mjs';
import { spawnSync } from 'node:child_process';

import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(join(root, 'package.json'));
const QUICK = Boolean(process.env.BENCH_QUICK);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const HOLD_SECONDS = Number(process.env.BENCH_HOLD_SECONDS ?? (QUICK ? 5 : 10));
const TIMING = { intervalSeconds: 1, timeoutSeconds: 1.5, hysteresis: { downAfterSeconds: 3, aliveAfterSeconds: 2 } };
const log = (m) => process.stdout.write(`${m}\n`);

function build() {
  if (process.env.BENCH_NO_BUILD) return log('BENCH_NO_BUILD: using the built dist/ as it is');
  log('building the witness app and the harness (nx run-many -t build -p witness netns-harness)…');
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'witness', 'netns-harness', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (r.status !== 0) throw new Error('the witness app does not build');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

async function main() {
  build();
  const { Network } = require(join(root, 'libs/netns-harness/dist/index.js'));
  const { stringify } = require('yaml');
  const appEntry = join(root, 'apps/witness/dist/main.js');
  const net = await Network.create({ regions: ['eu', 'us'], clientResolver: false, prefix: 'mrdbench' });
  const results = { down: [], alive: [], cutChanges: 0, isolatedDown: 0 };
  let watch;
  try {
    for (const [region, peer] of [['eu', 'us'], ['us', 'eu']]) {
      await net.startResponder(region, net.regionZone(region));
      const config = {
        region,
        grpc: { host: '0.0.0.0', port: 7103 },
        metrics: { host: '127.0.0.1', port: 9103 },
        witness: {
          zone: net.zone,
          regions: Object.values(net.regions).map((r) => ({ geotag: r.geotag, nameservers: [`${r.address}:53`] })),
          resolvers: net.witnessResolvers.map((w) => ({ address: `${w.address}:53` })),
          peers: [{ region: peer, address: `${net.region(peer).address}:7103` }],
          ...TIMING,
        },
      };
      const path = net.writeFile(`${region}/witness.yaml`, stringify(config));
      await net.start(region, 'witness', process.execPath, [appEntry, '--config', path], { ready: /"service started"/ });
    }
    const forward = await net.forward('us', 7103);
    watch = watchVerdicts(forward.address);
    const alive = (v) => v.state === 'ALIVE' && v.lastDecided === 'ALIVE';
    await watch.until('eu', alive);
    for (let round = 1; round <= ROUNDS; round++) {
      await net.isolate('eu');
      results.down.push(await watch.until('eu', (v) => v.state === 'DOWN'));
      await net.rejoin('eu');
      results.alive.push(await watch.until('eu', alive));

      let mark = watch.seen.length;
      await net.cut('eu', 'us');
      await new Promise((r) => setTimeout(r, HOLD_SECONDS * 1000));
      results.cutChanges += watch.seen.slice(mark).filter((s) => s.region === 'eu' && s.state !== 'ALIVE').length;
      await net.heal('eu', 'us');

      mark = watch.seen.length;
      await net.isolate('us');
      await new Promise((r) => setTimeout(r, HOLD_SECONDS * 1000));
      results.isolatedDown += watch.seen.slice(mark).filter((s) => s.region === 'eu' && s.lastDecided === 'DOWN').length;
      await net.rejoin('us');
      await watch.until('eu', alive);
      log(`round ${round}: eu cut off → DOWN ${results.down.at(-1)} ms, rejoined → ALIVE ${results.alive.at(-1)} ms; eu↔us cut: ${results.cutChanges} non-ALIVE so far; us isolated: ${results.isolatedDown} DOWN so far`);
    }
  } finally {
    watch?.close();
    await net.destroy();
  }
  const table = [
    '| measure (us\'s witness judging eu) | median | all rounds |',
    '|---|---|---|',
    `| eu cut off from everything → DOWN | ${median(results.down)} ms | ${results.down.join(', ')} ms |`,
    `| eu rejoined → ALIVE | ${median(results.alive)} ms | ${results.alive.join(', ')} ms |`,
    `| eu ↔ us cut for ${HOLD_SECONDS} s: verdicts other than ALIVE | — | ${results.cutChanges} |`,
    `| us cut off from everything for ${HOLD_SECONDS} s: DOWN decisions on eu | — | ${results.isolatedDown} |`,
  ].join('\n');
  log(`\n${table}`);
  // DESIGN.md's split-brain rules: a cut link is no reason to judge a region DOWN, and a region
  // cut off from everything has no quorum, so it decides nothing.
  const targets = [
    { target: 'witness: eu ↔ us cut, eu stays ALIVE (no verdict change)', measured: `${results.cutChanges} changes in ${ROUNDS} × ${HOLD_SECONDS} s`, met: results.cutChanges === 0 },
    { target: 'witness: an isolated region decides nothing (no DOWN on the other)', measured: `${results.isolatedDown} DOWN decisions in ${ROUNDS} × ${HOLD_SECONDS} s`, met: results.isolatedDown === 0 },
  ];
  for (const t of targets) log(`- ${t.target}: ${verdict(t.met)} (${t.measured})`);
  if (!process.env.BENCH_NO_DOC) writeDoc(table, targets);
}

function writeDoc(table, targets) {
  const path = join(root, 'docs', 'benchmarks.md');
  const section = [
    '## Witness verdicts',
    '',
    `Command: \`node tools/bench/witness/run.mjs\` (\`npm run bench -- witness\`), run ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
    'The multi-region test network (`libs/netns-harness`): regions eu and us in network namespaces, each with a tiny',
    'authoritative responder serving its heartbeat and a witness (interval 1 s, timeout 1.5 s, hysteresis 3 s to DOWN,',
    '2 s to ALIVE); three Unbound witness resolvers resolving from a root on the edge BIND. Partitions are blackhole',
    `rules on the namespaces' router. ${ROUNDS} rounds; times from the cut or heal to the verdict on us's WatchVerdicts.`,
    '',
    table,
    '',
    ...targets.map((t) => `- ${t.target}: ${verdict(t.met)} (${t.measured})`),
    '',
    'What a user sees of the same events (answers at the nameservers and the client resolver, with every service',
    'running) is in "Region death and partitions" (`tools/bench/partition/run.mjs`).',
    '',
  ].join('\n');
  writeBenchmarkSection(path, 'Witness verdicts', section, targets);
  log(`wrote the "Witness verdicts" section of ${path}`);
}

await main();
