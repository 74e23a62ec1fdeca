import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadRules, RULES_FILE, RULES_TEST_FILE, RUNBOOKS_FILE } from './support/dashboards';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';

/** promtool's exit status and output (stdout and stderr), without throwing on failure. */
async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: dirname(RULES_FILE) });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      (m[1] as string)
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

const REQUIRED_ALERTS = ['GslbEndpointDown', 'GslbAllEndpointsDown', 'GslbSplitBrain', 'MeridianWitnessUnreachable', 'MeridianQuorumLost', 'MeridianDnsZoneStale', 'MeridianPeerDown'];
const rules = loadRules();
const alerts = rules.groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));

describe('Prometheus rules (charts/meridian/files/prometheus)', () => {
  it('pass `promtool check rules`', async () => {
    const { code, output } = await promtool(['check', 'rules', RULES_FILE]);
    if (code !== 0) throw new Error(`promtool check rules failed (${code}):\n${output}`);
    expect(output).toContain(`SUCCESS: ${rules.groups.reduce((n, g) => n + g.rules.length, 0)} rules found`);
  });

  it('pass `promtool test rules` (rules.test.yaml)', async () => {
    const { code, output } = await promtool(['test', 'rules', RULES_TEST_FILE]);
    if (code !== 0) throw new Error(`promtool test rules failed (${code}):\n${output}`);
    expect(output).toContain('SUCCESS');
  });

  it('cover every alert the issue asks for', () => {
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
  });

  it.each(alerts.map((a) => [a.alert as string, a] as const))('%s has a severity, a summary, a description and a runbook section', (name, alert) => {
    expect(['critical', 'warning', 'info']).toContain(alert.labels?.['severity']);
    expect(alert.annotations?.['summary']).toEqual(expect.any(String));
    expect(alert.annotations?.['description']?.length).toBeGreaterThan(40);
    const url = alert.annotations?.['runbook_url'] ?? '';
    expect(url).toBe(`docs/runbooks.md#${name.toLowerCase()}`);
    expect([...anchors(readFileSync(RUNBOOKS_FILE, 'utf8'))]).toContain(url.split('#')[1]);
  });

  it('have, for every alert, a unit test where it fires and one where it does not', () => {
    const tests = (parse(readFileSync(RULES_TEST_FILE, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] }).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    const missing = alerts.flatMap(({ alert }) => {
      const own = cases.filter((c) => c.alertname === alert);
      return [
        ...(own.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${alert}: no case where it fires`]),
        ...(own.some((c) => (c.exp_alerts ?? []).length === 0) ? [] : [`${alert}: no case where it stays quiet`]),
      ];
    });
    expect(missing).toEqual([]);
  });
});
