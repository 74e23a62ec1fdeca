#!/usr/bin/env node
// The soak run: two regions on loopback (harness/region-fleet.mjs), dnsperf at a fixed rate
// against both nameservers while the sample apps' health flips every few seconds, an
// independent poller checking the SOA serial, and the RSS of every service sampled.
//   node tools/hardening/soak.mjs [--seconds 60] [--qps N | --max-fraction 0.5] [--flip-seconds 3] [--json]
// tools/bench/soak/run.mjs runs it long and writes docs/benchmarks.md; tools/hardening/test runs
// it short in CI. Without --qps the rate is --max-fraction of a short full-speed dnsperf burst.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { HealthFlipper } from './harness/health-flipper.mjs';
import { measureMaxQps, runLoad, writeQueryFile } from './harness/load.mjs';
import { REGIONS, startFleet, ZONE } from './harness/region-fleet.mjs';
import { RssSampler } from './harness/rss-sampler.mjs';
import { ZonePoller } from './harness/zone-poller.mjs';

function summarize(ms, missed) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { followed: sorted.length, missed, p50Ms: sorted[Math.floor(sorted.length / 2)], maxMs: sorted.at(-1) };
}

export async function runSoak({ seconds = 60, qps, maxFraction = 0.5, flipSeconds = 3, warmupSeconds, log = () => undefined } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-soak-'));
  const fleet = await startFleet({ dir });
  let stopObservers = async () => undefined;
  try {
    const queryFile = writeQueryFile(join(dir, 'queries.txt'));
    let maxQps;
    if (qps === undefined) {
      maxQps = measureMaxQps({ port: fleet.nameserver('eu'), queryFile, seconds: 5 });
      qps = maxQps * maxFraction;
      log(`measured maximum ${maxQps.toFixed(0)} qps at eu's nameserver; soaking at ${qps.toFixed(0)} qps in all (${(maxFraction * 100).toFixed(0)} %)`);
    }
    const poller = new ZonePoller({
      nameservers: Object.fromEntries(REGIONS.map((r) => [r, fleet.nameserver(r)])),
      zone: ZONE,
      name: `failover.${ZONE}`,
      incarnation: (region) => fleet.incarnations.get(`${region}/dns`),
    });
    const rss = new RssSampler({ processes: () => fleet.services(), intervalMs: Math.max(1000, Math.min(5000, (seconds * 1000) / 60)) });
    const flipper = new HealthFlipper({ fleet, everyMs: flipSeconds * 1000, poller });
    poller.start();
    rss.start();
    flipper.start();
    stopObservers = async () => {
      clearInterval(flipper.timer);
      rss.stop();
      await poller.stop();
    };
    const started = Date.now();
    // Half the rate at each region's nameserver.
    const loads = REGIONS.map((region) => runLoad({ port: fleet.nameserver(region), queryFile, qps: qps / REGIONS.length, seconds }));
    const results = await Promise.all(loads.map((l) => l.result));
    const elapsedSeconds = (Date.now() - started) / 1000;
    await flipper.stop();
    rss.stop();
    await poller.stop();
    const loadByRegion = Object.fromEntries(REGIONS.map((r, i) => [r, results[i]]));
    const sum = (f) => results.reduce((a, r) => a + f(r), 0);
    const unexpected = {};
    for (const r of results) for (const [k, v] of Object.entries(r.unexpected)) unexpected[k] = (unexpected[k] ?? 0) + v;
    return {
      seconds,
      elapsedSeconds,
      maxQps,
      qps,
      flipSeconds,
      flips: flipper.flips,
      flipErrors: flipper.errors,
      convergence: summarize(flipper.convergenceMs, flipper.missed),
      sent: sum((r) => r.sent),
      lost: sum((r) => r.lost),
      unexpectedRcodes: unexpected,
      load: loadByRegion,
      poller: { stats: poller.stats, regressions: poller.regressions, restartRegressions: poller.restartRegressions },
      memory: rss.summary(((warmupSeconds ?? Math.min(60, seconds / 5)) / 60)),
      crashes: fleet.crashes,
      logs: dir,
    };
  } finally {
    await stopObservers();
    await fleet.stop();
    if (!process.env.HARDENING_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      qps: { type: 'string' },
      'max-fraction': { type: 'string', default: '0.5' },
      'flip-seconds': { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = await runSoak({
    seconds: Number(values.seconds),
    ...(values.qps ? { qps: Number(values.qps) } : {}),
    maxFraction: Number(values['max-fraction']),
    flipSeconds: Number(values['flip-seconds']),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
}
