import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ZodType } from 'zod';

const ROOT = join(__dirname, '..', '..', '..');
const HELM = join(ROOT, 'tools', 'helm', 'helm.mjs');
const GENERATE = join(ROOT, 'tools', 'charts-schema', 'generate.mjs');

const SCHEMAS: Record<string, string> = {
  prober: 'proberConfigSchema',
  'peer-sync': 'peerSyncConfigSchema',
  witness: 'witnessConfigSchema',
  records: 'recordsConfigSchema',
  dns: 'dnsConfigSchema',
};
const SERVICES = Object.keys(SCHEMAS);

/** The service's own zod schema, from its build (the same module the generator reads). */
function zodSchema(service: string): ZodType {
  return require(join(ROOT, 'apps', service, 'dist', 'config.js'))[SCHEMAS[service] as string] as ZodType;
}

function helm(args: string[]) {
  return spawnSync(process.execPath, [HELM, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** The rendered config file of a service chart given `config` values, or helm's error. */
function render(chartsDir: string, service: string, config: unknown, region = 'local'): { ok: true; config: unknown } | { ok: false; stderr: string } {
  const values = join(chartsDir, `${service}-values.json`);
  writeFileSync(values, JSON.stringify({ global: { region }, config }));
  const result = helm(['template', 'r', join(chartsDir, service), '-f', values]);
  if (result.status !== 0) return { ok: false, stderr: result.stderr };
  const configMap = parseAllDocuments(result.stdout)
    .map((d) => d.toJSON() as { kind?: string; data?: Record<string, string> } | null)
    .find((d) => d?.kind === 'ConfigMap' && d.data?.['config.yaml'] !== undefined);
  return { ok: true, config: parse(configMap?.data?.['config.yaml'] ?? '') };
}

describe('tools/charts-schema/generate.mjs', () => {
  let chartsDir: string;

  beforeAll(() => {
    // A copy of charts/ with the library chart built into each service chart (nothing is left in the tree).
    chartsDir = mkdtempSync(join(tmpdir(), 'charts-schema-'));
    for (const chart of ['meridian-lib', ...SERVICES]) {
      cpSync(join(ROOT, 'charts', chart), join(chartsDir, chart), { recursive: true, filter: (src) => !src.includes(`${chart}/charts`) });
    }
    for (const service of SERVICES) {
      const built = helm(['dependency', 'build', join(chartsDir, service)]);
      if (built.status !== 0) throw new Error(`helm dependency build ${service} failed: ${built.stderr}`);
    }
  });

  afterAll(() => rmSync(chartsDir, { recursive: true, force: true }));

  it('--check passes: the committed values.schema.json files are what the built services generate', () => {
    const result = spawnSync(process.execPath, [GENERATE, '--check'], { encoding: 'utf8', cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('--check fails and names the chart when a schema drifted', () => {
    const copy = mkdtempSync(join(tmpdir(), 'charts-schema-check-'));
    try {
      cpSync(join(ROOT, 'charts'), copy, { recursive: true });
      const path = join(copy, 'dns', 'values.schema.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace('"Fewest replicas."', '"changed by hand"'));
      const result = spawnSync(process.execPath, [GENERATE, '--check', '--charts', copy], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('charts/dns/values.schema.json is stale');
      expect(result.stderr).not.toContain('charts/prober/');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  // A config the service rejects must fail `helm template` on the same field, before any pod starts.
  const rejected: [string, Record<string, unknown>, string][] = [
    ['prober', { defaults: { whenAllUnhealthy: 'sometimes' } }, '/config/defaults/whenAllUnhealthy'],
    ['prober', { checks: { maxConcurrent: 0 } }, '/config/checks/maxConcurrent'],
    ['peer-sync', { peering: { heartbeatSeconds: 0 } }, '/config/peering/heartbeatSeconds'],
    ['peer-sync', { k8gb: { pollSecs: 5 } }, '/config/k8gb'],
    ['witness', { witness: { quorum: 0 } }, '/config/witness/quorum'],
    ['records', { nameserverPrefix: 'Not_A_Label' }, '/config/nameserverPrefix'],
    ['records', { staleness: { freshForSeconds: 'three' } }, '/config/staleness/freshForSeconds'],
    ['dns', { dns: { workers: 65 } }, '/config/dns/workers'],
    ['dns', { dns: { ednsPayloadSize: 256 } }, '/config/dns/ednsPayloadSize'],
  ];
  it.each(rejected)('%s: %j is rejected by helm (at %s) and by the service', (service, config, field) => {
    const result = render(chartsDir, service, config);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.stderr).toContain(`at '${field}'`);
    expect(zodSchema(service).safeParse(config).success).toBe(false);
  });

  // The demo's example configs are valid service configs, so the chart must accept them as `config`,
  // and the file it renders from them must still be one the service accepts.
  it.each(SERVICES.map((s) => [s]))('%s: the example config is accepted, and the rendered file passes the service schema', (service) => {
    const example = parse(readFileSync(join(ROOT, 'apps', service, 'config', 'example-eu.yaml'), 'utf8')) as Record<string, unknown>;
    expect(zodSchema(service).safeParse(example).success).toBe(true);
    // The region is the chart's (global.region), so it is given there.
    const result = render(chartsDir, service, example, example['region'] as string);
    if (!result.ok) throw new Error(result.stderr);
    const parsed = zodSchema(service).safeParse(result.config);
    expect(parsed.error?.issues ?? []).toEqual([]);
    // The chart owns the listeners: the example's loopback addresses are replaced.
    expect(result.config).toMatchObject({ grpc: { host: '0.0.0.0' }, metrics: { host: '0.0.0.0' } });
  });
});
