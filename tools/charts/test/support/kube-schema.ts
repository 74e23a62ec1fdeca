import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { KubeObject } from './manifests';
import { ROOT } from './workspace';

export interface SchemaResult {
  ok: boolean;
  error?: string;
}

/** Validates objects against the Kubernetes API schemas (kubernetes-models), one result per object. */
export function validateWithKubernetesModels(objects: readonly KubeObject[]): SchemaResult[] {
  const run = spawnSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`validate-objects.mjs failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as SchemaResult[];
  if (results.length !== objects.length) throw new Error(`validate-objects.mjs answered ${results.length} results for ${objects.length} objects`);
  return results;
}
