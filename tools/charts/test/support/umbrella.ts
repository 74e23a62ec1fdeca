import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ChartSandbox } from './helm';
import type { KubeObject } from './manifests';

export const UMBRELLA = 'meridian';

interface ExampleFile {
  path: string;
  documents: unknown[];
}

function exampleFiles(sandbox: ChartSandbox): ExampleFile[] {
  const dir = join(sandbox.chartPath(UMBRELLA), 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: join(dir, f), documents: parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as unknown) }));
}

const isObject = (d: unknown): d is Record<string, unknown> => typeof d === 'object' && d !== null && !Array.isArray(d);

/** The umbrella's example values files (charts/meridian/examples/*.yaml that hold values, not Kubernetes objects). */
export function exampleValuesFiles(sandbox: ChartSandbox): string[] {
  return exampleFiles(sandbox)
    .filter((f) => f.documents.length === 1 && isObject(f.documents[0]) && !('apiVersion' in f.documents[0]))
    .map((f) => f.path);
}

/** The Gslb objects among the umbrella's examples. */
export function exampleGslbs(sandbox: ChartSandbox): { file: string; object: KubeObject }[] {
  return exampleFiles(sandbox).flatMap((f) =>
    f.documents.filter((d): d is KubeObject => isObject(d) && d['kind'] === 'Gslb').map((object) => ({ file: f.path.split('/').pop() as string, object })),
  );
}
