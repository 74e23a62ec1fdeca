import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './workspace';

/** Package names a source folder loads at run time: value imports, re-exports and dynamic import(), not `import type`. */
export function runtimeImports(srcDir: string): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(ROOT, srcDir))) {
    const text = readFileSync(file, 'utf8');
    const statements = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?'([^']+)'/g;
    for (const m of text.matchAll(statements)) if (!m[1]) found.add(packageOf(m[2] as string));
    for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.add(packageOf(m[1] as string));
  }
  for (const name of [...found]) if (name.startsWith('.') || name.startsWith('node:')) found.delete(name);
  return found;
}

/** '@scope/name/deep' → '@scope/name'; 'name/deep' → 'name'. */
function packageOf(specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** The files a lib/app build compiles: *.ts under src, without specs (as tsconfig.lib.json excludes them). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}
