import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built JavaScript of one of the harness's helper programs (`src/bin/*.ts`). They run as
 * their own processes inside namespaces, so they must be built: from sources (jest) this
 * looks in the library's `dist`, which the `test` target's build dependency provides.
 */
export function binPath(name: 'authoritative-responder' | 'unix-forwarder' | 'sweep'): string {
  const candidates = [join(__dirname, 'bin', `${name}.js`), join(__dirname, '..', 'dist', 'bin', `${name}.js`)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`${name}.js is not built (looked in ${candidates.join(', ')}): run \`npx nx build netns-harness\` first`);
  return found;
}
