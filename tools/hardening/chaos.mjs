#!/usr/bin/env node
// The chaos run: two regions on loopback (harness/region-fleet.mjs) under dnsperf load; each
// service in turn is killed (SIGKILL or SIGTERM) and restarted. Per step it records whether
// the nameservers kept answering (an independent poller, and the load's lost queries), whether
// the SOA serial ever went back, and how long the regions take to agree again after a health
// flip made once the service is back.
//   node tools/hardening/chaos.mjs [--plan full|short] [--qps 1000] [--json]
// `full` (tools/bench/chaos/run.mjs): every service killed with SIGKILL in one region and
// with SIGTERM in the other. `short` (tools/hardening/test, CI): every service once, the
// signals alternating.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { query } from './harness/dns-probe.mjs';
import { runLoad, writeQueryFile } from './harness/load.mjs';
import { REGIONS, startFleet, ZONE } from './harness/region-fleet.mjs';
import { ZonePoller } from './harness/zone-poller.mjs';

// records-2 goes before records-1: us's dns starts on records-2, and losing it moves that dns
// to records-1, the replica whose versions are lower (it started first): the case ADR
// dns-0004 is about.
export const PLANS = {
  short: [
    ['prober', 'eu', 'SIGKILL'],
    ['peer-sync', 'us', 'SIGTERM'],
    ['witness', 'eu', 'SIGKILL'],
    ['records-2', 'us', 'SIGKILL'],
    ['records-1', 'eu', 'SIGTERM'],
    ['dns', 'eu', 'SIGTERM'],
  ],
  full: [
    ['prober', 'eu', 'SIGKILL'],
    ['prober', 'us', 'SIGTERM'],
    ['peer-sync', 'us', 'SIGKILL'],
    ['peer-sync', 'eu', 'SIGTERM'],
    ['witness', 'eu', 'SIGKILL'],
    ['witness', 'us', 'SIGTERM'],
    ['records-2', 'us', 'SIGKILL'],
    ['records-2', 'eu', 'SIGTERM'],
    ['records-1', 'eu', 'SIGKILL'],
    ['records-1', 'us', 'SIGTERM'],
    ['dns', 'us', 'SIGKILL'],
    ['dns', 'eu', 'SIGTERM'],
  ],
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Until the nameserver answers again (after its dns was restarted): ms since `since`. */
async function answeringAgain(port, since, timeoutMs = 30_000) {
  while (Date.now() - since < timeoutMs) {
    const reply = await query(port, ZONE, 'SOA', 300);
    if (!reply.error && reply.rcode === 0) return Date.now() - since;
    await sleep(20);
  }
  throw new Error(`nameserver on port ${port} did not answer within ${timeoutMs} ms`);
}

export async function runChaos({ plan = 'short', qps = 1000, downMs = 1000, log = () => undefined } = {}) {
  const steps = PLANS[plan];
  if (!steps) throw new Error(`--plan must be one of ${Object.keys(PLANS).join(', ')}, got ${plan}`);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-chaos-'));
  const started = Date.now();
  const fleet = await startFleet({ dir });
  const poller = new ZonePoller({
    nameservers: Object.fromEntries(REGIONS.map((r) => [r, fleet.nameserver(r)])),
    zone: ZONE,
    name: `failover.${ZONE}`,
    incarnation: (region) => fleet.incarnations.get(`${region}/dns`),
  });
  const results = [];
  try {
    const queryFile = writeQueryFile(join(dir, 'queries.txt'));
    poller.start();
    for (const [service, region, signal] of steps) {
      const before = poller.counters();
      const stepStarted = Date.now();
      // Load for the step's expected length at each nameserver (half the rate each).
      const loads = REGIONS.map((r) => runLoad({ port: fleet.nameserver(r), queryFile, qps: qps / REGIONS.length, seconds: 6 }));
      const killed = await fleet.kill(region, service, signal);
      const killedAt = Date.now();
      await sleep(downMs);
      const restartMs = await fleet.restart(region, service);
      const outageMs = service === 'dns' ? await answeringAgain(fleet.nameserver(region), killedAt - killed.ms) : undefined;
      // Until the flip below, nothing changed the answer: whatever a nameserver answered is
      // what it answered before the service died (eu's address), or nothing (a failure).
      const outage = ZonePoller.window(before, poller.counters());
      // A health flip once the service is back: both regions must follow it, and follow it back.
      await fleet.setHealthy('eu', false);
      const failoverMs = await fleet.waitConverged('us');
      await fleet.setHealthy('eu', true);
      const failbackMs = await fleet.waitConverged('eu');
      const load = await Promise.all(loads.map((l) => l.result));
      // The version each dns serves next to each replica's own: a dns above both replicas
      // has moved to one that numbers lower and kept going forward (ADR dns-0004).
      const versions = {};
      for (const r of REGIONS) {
        versions[r] = {};
        for (const s of ['dns', 'records-1', 'records-2']) versions[r][s] = await fleet.metric(r, s, s === 'dns' ? 'meridian_dns_zone_version' : 'meridian_records_zone_version');
      }
      const step = {
        service,
        region,
        signal,
        exit: killed.exit,
        exitMs: killed.ms,
        restartMs,
        outageMs,
        failoverMs,
        failbackMs,
        stepMs: Date.now() - stepStarted,
        outage,
        versions,
        poller: ZonePoller.window(before, poller.counters()),
        load: Object.fromEntries(REGIONS.map((r, i) => [r, { sent: load[i].sent, lost: load[i].lost, unexpected: load[i].unexpected, maxMs: load[i].maxMs }])),
      };
      log(
        `${service} ${region} ${signal}: exit ${step.exit} in ${step.exitMs} ms, restarted in ${restartMs} ms` +
          `${outageMs !== undefined ? `, nameserver back after ${outageMs} ms` : ''}, failover ${failoverMs} ms, failback ${failbackMs} ms; ` +
          `poller failures ${REGIONS.map((r) => `${r} ${step.poller[r].failed}/${step.poller[r].queries}`).join(', ')}; ` +
          `lost ${REGIONS.map((r) => `${r} ${step.load[r].lost}/${step.load[r].sent}`).join(', ')}`,
      );
      results.push(step);
    }
    await poller.stop();
    return {
      plan,
      qps,
      downMs,
      steps: results,
      regressions: poller.regressions,
      restartRegressions: poller.restartRegressions,
      serialChanges: Object.fromEntries(REGIONS.map((r) => [r, poller.stats[r].serialChanges])),
      crashes: fleet.crashes,
      totalSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await poller.stop();
    await fleet.stop();
    if (!process.env.HARDENING_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { plan: { type: 'string', default: 'short' }, qps: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } },
  });
  const result = await runChaos({ plan: values.plan, qps: Number(values.qps), log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
}
