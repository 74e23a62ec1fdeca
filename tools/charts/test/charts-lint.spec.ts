import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChartSandbox } from './support/helm';
import { exampleValuesFiles, UMBRELLA } from './support/umbrella';
import { SERVICES } from './support/workspace';

/** `helm lint --strict` with the real helm on every chart, in a copy of charts/ (dependencies built there). */
describe('helm lint --strict', () => {
  let sandbox: ChartSandbox;
  beforeAll(() => {
    sandbox = ChartSandbox.create();
  });
  afterAll(() => sandbox?.destroy());

  it('finds every chart: the five services, the library and the umbrella', () => {
    expect(sandbox.charts()).toEqual(expect.arrayContaining([...SERVICES, 'meridian-lib', UMBRELLA]));
  });

  it.each([...SERVICES, 'meridian-lib', UMBRELLA])('charts/%s passes', (chart) => {
    const result = sandbox.helm(['lint', '--strict', sandbox.chartPath(chart)]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it.each(SERVICES.map((s) => [s]))('charts/%s ships a values.schema.json', (chart) => {
    expect(existsSync(join(sandbox.chartPath(chart), 'values.schema.json'))).toBe(true);
  });

  it('the umbrella passes with each multi-region example values file', () => {
    const files = exampleValuesFiles(sandbox);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const result = sandbox.helm(['lint', '--strict', sandbox.chartPath(UMBRELLA), '--values', file]);
      expect({ file, status: result.status, output: result.stdout + result.stderr }).toEqual({ file, status: 0, output: expect.stringContaining('0 chart(s) failed') });
    }
  });

  it('fails a chart that breaks a rule (lint really runs)', () => {
    // A values file that the schema rejects makes lint fail: the check is not a no-op.
    const bad = sandbox.valuesFile('lint-bad', { replicaCount: 'two' });
    const result = sandbox.helm(['lint', '--strict', sandbox.chartPath('prober'), '--values', bad]);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/replicaCount/);
  });
});
