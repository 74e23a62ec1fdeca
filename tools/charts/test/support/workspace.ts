import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (tools/charts/test/support → four levels up). */
export const ROOT = join(__dirname, '..', '..', '..', '..');

/** The five services: each has an app, a Dockerfile and a chart of the same name. */
export const SERVICES = ['prober', 'peer-sync', 'witness', 'records', 'dns'] as const;
export type Service = (typeof SERVICES)[number];

export interface PackageJson {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
}

/** The folder (relative to the root) of a workspace package such as @meridian/grpc-kit. */
export function workspaceDir(packageName: string): string {
  const short = packageName.replace(/^@meridian\//, '');
  for (const dir of [`libs/${short}`, `apps/${short}`]) {
    if (existsSync(join(ROOT, dir, 'package.json'))) return dir;
  }
  throw new Error(`${packageName} is not a workspace package (no libs/${short} or apps/${short})`);
}

/** Every workspace package the given one needs at run time: its `dependencies`, transitively. */
export function runtimeWorkspaceClosure(dir: string): string[] {
  const seen = new Set<string>();
  const queue = [dir];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    const deps = Object.keys(readJson<PackageJson>(`${current}/package.json`).dependencies ?? {});
    for (const dep of deps.filter((d) => d.startsWith('@meridian/'))) {
      const depDir = workspaceDir(dep);
      if (!seen.has(depDir)) {
        seen.add(depDir);
        queue.push(depDir);
      }
    }
  }
  return [...seen].sort();
}
