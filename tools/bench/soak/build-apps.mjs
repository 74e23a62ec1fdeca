// Builds the five services the hardening runs start (shared by the soak and chaos benchmarks).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function buildApps(log) {
  log('building the services (nx run-many -t build)…');
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'prober', 'peer-sync', 'witness', 'records', 'dns', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (r.status !== 0) throw new Error('the services do not build: run `npx nx run-many -t build` to see why');
}
