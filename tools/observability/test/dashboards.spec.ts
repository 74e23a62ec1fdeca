import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from '@meridian/testing';
import { loadDashboards, panelsOf, variableQuery } from './support/dashboards';
import { labelValuesQuery, metricNames, substituteVariables } from './support/promql';

const run = promisify(execFile);
const EXPECTED = ['meridian-dns.json', 'meridian-health-failover.json', 'meridian-overview.json', 'meridian-regions-witnesses.json'];

describe('PromQL helpers', () => {
  it.each([
    ['a plain selector', 'up', ['up']],
    ['functions and aggregations are not names', 'sum by (region) (rate(meridian_dns_queries_total{rcode="NOERROR"}[5m]))', ['meridian_dns_queries_total']],
    ['label matchers, strings and grouping are skipped', 'a * on (instance, job) group_left (region) label_replace(b{x="y"}, "z", "$1", "region", "(.*)")', ['a', 'b']],
    ['offsets and keywords', 'x offset 30s < bool on (region) group_left () max by (region) (y)', ['x', 'y']],
    ['a __name__ selector names nothing', '{__name__=~"meridian_.+_ready"} or vector(1)', []],
    ['count_values', 'count by (host) (count_values by (host) ("digest", d))', ['d']],
  ])('metricNames: %s', (_name, expr, expected) => {
    expect(metricNames(expr)).toEqual(expected);
  });

  it.each([
    ['rate interval', 'rate(x[$__rate_interval])', 'rate(x[10s])'],
    ['braced and regex-matched variables', 'x{region=~"${region}",host=~"$host"}', 'x{region=~".*",host=~".*"}'],
    ['a label_replace group reference stays', 'label_replace(x, "a", "$1", "b", "(.*)")', 'label_replace(x, "a", "$1", "b", "(.*)")'],
  ])('substituteVariables: %s', (_name, expr, expected) => {
    expect(substituteVariables(expr)).toBe(expected);
  });

  it('turns label_values() into a query', () => {
    expect(labelValuesQuery('label_values(meridian_records_build_info, region)')?.query).toBe('count by (region) (meridian_records_build_info)');
    expect(labelValuesQuery('query_result(up)')).toBeUndefined();
  });
});

describe('Grafana dashboards (charts/meridian/files/dashboards)', () => {
  const dashboards = loadDashboards();

  it('are the four the issue asks for, each valid JSON with a unique uid and title', () => {
    expect(dashboards.map((d) => d.file)).toEqual(EXPECTED);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
  });

  it('match their generator (tools/observability/dashboards/generate.mjs)', async () => {
    await expect(run(process.execPath, [join(WORKSPACE_ROOT, 'tools', 'observability', 'dashboards', 'generate.mjs'), '--check'])).resolves.toBeDefined();
  });

  it.each(EXPECTED)('%s: Grafana model, datasource variable, panels with ids, grid, units and PromQL targets', (file) => {
    const d = dashboards.find((x) => x.file === file);
    if (!d) throw new Error(`${file} missing`);
    const problems: string[] = [];
    if (!d.uid || !/^[\w-]{1,40}$/.test(d.uid)) problems.push(`uid ${d.uid}`);
    if (!d.title) problems.push('no title');
    if (!d.tags?.includes('meridian')) problems.push('no meridian tag');
    if ((d.schemaVersion ?? 0) < 36) problems.push(`schemaVersion ${d.schemaVersion}`);
    const vars = d.templating?.list ?? [];
    const ds = vars.find((v) => v.name === 'datasource');
    if (ds?.type !== 'datasource' || (ds as { query?: string }).query !== 'prometheus') problems.push('no datasource variable of type prometheus');
    for (const v of vars) {
      if (v.type !== 'query') continue;
      if (v.datasource?.uid !== '${datasource}') problems.push(`variable ${v.name}: datasource is not $datasource`);
      if (!labelValuesQuery(variableQuery(v) ?? '')) problems.push(`variable ${v.name}: not a label_values() query`);
    }
    const panels = panelsOf(d);
    if (panels.length < 5) problems.push(`only ${panels.length} panels`);
    const ids = panels.map((p) => p.id);
    if (new Set(ids).size !== ids.length || ids.some((id) => typeof id !== 'number')) problems.push(`panel ids not unique numbers: ${ids.join(',')}`);
    for (const p of panels) {
      const name = `panel ${p.id} "${p.title}"`;
      if (!p.title) problems.push(`${name}: no title`);
      const g = p.gridPos;
      if (!g || g.w < 1 || g.h < 1 || g.x < 0 || g.x + g.w > 24 || g.y < 0) problems.push(`${name}: bad gridPos ${JSON.stringify(g)}`);
      if (p.datasource?.uid !== '${datasource}') problems.push(`${name}: datasource is not the $datasource variable`);
      if (!p.fieldConfig?.defaults?.unit) problems.push(`${name}: no unit`);
      const targets = p.targets ?? [];
      if (targets.length === 0) problems.push(`${name}: no target`);
      const refIds = targets.map((t) => t.refId);
      if (new Set(refIds).size !== refIds.length) problems.push(`${name}: duplicate refIds`);
      for (const t of targets) {
        if (!t.expr?.trim()) problems.push(`${name} ${t.refId}: no expr`);
        if (!t.refId) problems.push(`${name}: target without refId`);
        if (t.datasource && t.datasource.uid !== '${datasource}') problems.push(`${name} ${t.refId}: datasource is not $datasource`);
        if (t.expr && metricNames(substituteVariables(t.expr)).length === 0 && !t.expr.includes('__name__')) problems.push(`${name} ${t.refId}: selects no metric`);
      }
    }
    // Grid cells must not overlap.
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos;
      if (!g) continue;
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        if (cells.has(`${x},${y}`)) problems.push(`panel ${p.id} overlaps another at ${x},${y}`);
        cells.add(`${x},${y}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
