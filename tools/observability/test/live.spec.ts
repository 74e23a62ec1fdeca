import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadDashboards, loadRules, panelsOf, RULES_FILE, variableQuery } from './support/dashboards';
import { APPS, startLiveRegions, type LiveRegions } from './support/live-regions';
import { labelValuesQuery, metricNames, substituteVariables } from './support/promql';
import { startPrometheus, type RunningPrometheus } from './support/prometheus';

/**
 * The live check of issue #10: both demo regions (sample app + five services each) on free
 * loopback ports, scraped every second by a real Prometheus that loads rules.yaml. After DNS
 * traffic (dig) and a failover (eu's sample app fails), every dashboard panel query, every
 * variable query and every rule expression is evaluated through the HTTP API.
 */
const run = promisify(execFile);
jest.setTimeout(240_000);

const FAILOVER = 'failover.gslb.example.com';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Sample names (histogram _bucket/_sum/_count included) in a Prometheus text exposition. */
function exposedNames(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => /^[a-zA-Z_:][\w:]*/.exec(l)?.[0] ?? '')
    .filter(Boolean);
}

async function dig(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=1', '+tries=1', ...args]);
  return stdout;
}

describe('dashboards and alerts against a live two-region suite and a real Prometheus', () => {
  let live: LiveRegions | undefined;
  let prom: RunningPrometheus | undefined;
  const inventory = new Set<string>();

  beforeAll(async () => {
    live = await startLiveRegions();
    const targets = live.metricsTargets();
    prom = await startPrometheus(
      APPS.map((app) => ({ job: app, targets: targets.filter((t) => t.app === app).map((t) => t.address) })),
      [RULES_FILE],
    );
    const p = prom;
    await until('every scrape target up', 30_000, async () => {
      const r = await p.get<{ data: { activeTargets: { health: string }[] } }>('/api/v1/targets');
      const up = r.data.activeTargets.filter((t) => t.health === 'up').length;
      return up === targets.length ? up : undefined;
    });
    // Traffic of every kind for the DNS panels: answers, NXDOMAIN, REFUSED, UDP and TCP.
    for (const region of Object.values(live.regions)) {
      for (let i = 0; i < 3; i++) {
        await dig(region.ports.dns, FAILOVER, 'A', '+short');
        await dig(region.ports.dns, 'roundrobin.gslb.example.com', 'AAAA', '+tcp', '+short');
        await dig(region.ports.dns, 'missing.gslb.example.com', 'A');
        await dig(region.ports.dns, 'example.org', 'A');
      }
    }
    // A health change: eu's app fails, so failover hosts answer us in both regions.
    const eu = live.regions.eu;
    const failed = await fetch(`http://127.0.0.1:${eu.ports.sampleApp}/fail`, { method: 'POST' });
    expect(failed.status).toBe(200);
    await until('both regions answering failover with us (seen by Prometheus)', 30_000, async () => {
      const r = await p.query(`meridian_records_host_region_used{host="${FAILOVER}",region="us"} == 1`);
      return r.data?.result.length === 2 ? true : undefined;
    });
    // More traffic after the change, then enough scrapes for every rate() window (10 s).
    for (const region of Object.values(live.regions)) for (let i = 0; i < 3; i++) await dig(region.ports.dns, FAILOVER, 'A', '+short');
    await new Promise((r) => setTimeout(r, 12_000));
    // The inventory: what the services really export, from a live scrape of each.
    for (const t of targets) for (const name of exposedNames(await (await fetch(`http://${t.address}/metrics`)).text())) inventory.add(name);
  });

  afterAll(async () => {
    await prom?.stop();
    await live?.stop();
  });

  it('answers failover with us in both regions after eu fails (the health change the panels show)', async () => {
    for (const region of Object.values(live?.regions ?? {})) expect((await dig(region.ports.dns, FAILOVER, 'A', '+short')).trim()).toBe('198.51.100.10');
  });

  it('every metric named by a panel, a variable or a rule is one the services export', () => {
    const exprs = [
      ...loadDashboards().flatMap((d) => [
        ...panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.file} "${p.title}" ${t.refId}`, expr: substituteVariables(t.expr ?? '') }))),
        ...(d.templating?.list ?? []).flatMap((v) => {
          const q = labelValuesQuery(variableQuery(v) ?? '');
          return q ? [{ where: `${d.file} variable ${v.name}`, expr: q.query }] : [];
        }),
      ]),
      ...loadRules().groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr }))),
    ];
    expect(inventory.size).toBeGreaterThan(100);
    const unknown = exprs.flatMap(({ where, expr }) => metricNames(expr).filter((n) => !inventory.has(n)).map((n) => `${where}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it('every panel query parses and returns data', async () => {
    const failures: string[] = [];
    let evaluated = 0;
    for (const d of loadDashboards()) {
      for (const p of panelsOf(d)) {
        for (const t of p.targets ?? []) {
          const expr = substituteVariables(t.expr ?? '');
          const r = await (prom as RunningPrometheus).query(expr);
          evaluated++;
          if (r.status !== 'success') failures.push(`${d.file} "${p.title}" ${t.refId}: ${r.errorType}: ${r.error}\n    ${expr}`);
          else if ((r.data?.result.length ?? 0) === 0) failures.push(`${d.file} "${p.title}" ${t.refId}: no data\n    ${expr}`);
        }
      }
    }
    expect(evaluated).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('every dashboard variable query returns values', async () => {
    const failures: string[] = [];
    for (const d of loadDashboards()) {
      for (const v of d.templating?.list ?? []) {
        const q = labelValuesQuery(variableQuery(v) ?? '');
        if (!q) continue;
        const r = await (prom as RunningPrometheus).query(q.query);
        if (r.status !== 'success' || (r.data?.result.length ?? 0) === 0) failures.push(`${d.file} $${v.name}: ${r.status} ${r.error ?? 'no values'}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every rule expression parses and evaluates; the live state gives the expected results', async () => {
    const results: Record<string, { status: string; series: Record<string, string>[]; error?: string }> = {};
    for (const g of loadRules().groups) {
      for (const rule of g.rules) {
        const r = await (prom as RunningPrometheus).query(rule.expr);
        results[rule.alert ?? rule.record ?? '?'] = { status: r.status, series: (r.data?.result ?? []).map((s) => s.metric), ...(r.error ? { error: r.error } : {}) };
      }
    }
    const failed = Object.entries(results).filter(([, r]) => r.status !== 'success');
    expect(failed).toEqual([]);
    // eu's local endpoints are down (its app failed): the endpoint alert's condition holds for
    // eu's four hosts and no other; nothing else is wrong.
    expect(results['GslbEndpointDown']?.series.map((s) => `${s['region']} ${s['dns_name']}`).sort()).toEqual(
      ['failover', 'geo', 'roundrobin', 'weighted'].map((h) => `eu localtargets-${h}.gslb.example.com`),
    );
    for (const quiet of ['GslbAllEndpointsDown', 'GslbSplitBrain', 'MeridianPeerDown', 'MeridianWitnessUnreachable', 'MeridianQuorumLost', 'MeridianRegionDown', 'MeridianDnsZoneStale']) {
      expect([quiet, results[quiet]?.series]).toEqual([quiet, []]);
    }
  });

  it('Prometheus loaded every rule group, and every rule evaluates with health ok', async () => {
    const p = prom as RunningPrometheus;
    const expected = loadRules().groups.map((g) => g.name).sort();
    const groups = await until('every rule evaluated', 15_000, async () => {
      const r = await p.get<{ data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] } }>('/api/v1/rules');
      const all = r.data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((x) => x.health !== 'unknown') ? r.data.groups : undefined;
    });
    expect(groups.map((g) => g.name).sort()).toEqual(expected);
    expect(groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`))).toEqual([]);
  });
});
