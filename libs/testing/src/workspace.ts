import { join } from 'node:path';

/** The workspace root, from this file's place in libs/testing/src (or dist). */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/** The built entry point of an app. */
export function appEntry(app: string): string {
  return join(WORKSPACE_ROOT, 'apps', app, 'dist', 'main.js');
}
