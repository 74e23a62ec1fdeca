import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in the package.json one level above `dir` (an app's dist/ folder). */
export function packageVersion(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
