import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync } from './command';
import { DEFAULT_PREFIX, parseRunName } from './run-names';

export interface SweepOptions {
  readonly prefix?: string;
  /** Also remove what live runs own (default: only runs whose owner process is gone). */
  readonly includeLive?: boolean;
}

export interface SweepReport {
  readonly namespaces: string[];
  readonly killed: number[];
  readonly directories: string[];
}

/** Sleeps synchronously (exit handlers cannot wait for timers). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Namespaces on this host, by name. */
export function listNamespaces(): string[] {
  const out = runSync('ip', ['netns', 'list']);
  if (out.code !== 0) return [];
  return out.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Kills every process inside a namespace, then deletes it (its veths go with it). */
export function removeNamespaceSync(namespace: string): number[] {
  const killed: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const pids = runSync('ip', ['netns', 'pids', namespace])
      .stdout.split('\n')
      .map((p) => Number(p.trim()))
      .filter((p) => Number.isInteger(p) && p > 0 && p !== process.pid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // Already gone.
      }
    }
    pause(50);
  }
  runSync('ip', ['netns', 'del', namespace]);
  return killed;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what earlier runs left behind: their namespaces (with every process still inside
 * them), processes on the host that use their temporary directories, and those directories. By default only runs whose owner process is gone
 * are touched, so concurrent test runs are safe. Synchronous, so it can run from exit handlers.
 */
export function sweep(options: SweepOptions = {}): SweepReport {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const stale = (name: string) => {
    const run = parseRunName(name, prefix);
    return run !== undefined && (options.includeLive === true || (run.pid !== process.pid && !isAlive(run.pid)));
  };
  const report: SweepReport = { namespaces: [], killed: [], directories: [] };
  for (const ns of listNamespaces().filter(stale)) {
    report.killed.push(...removeNamespaceSync(ns));
    report.namespaces.push(ns);
  }
  const directories = readdirSync(tmpdir()).filter(stale);
  // Programs run on the host (Unbound on loopback) are found by the run directory they use.
  for (const pid of processesUsing(directories.map((d) => join(tmpdir(), d)))) {
    try {
      process.kill(pid, 'SIGKILL');
      report.killed.push(pid);
    } catch {
      // Already gone.
    }
  }
  for (const entry of directories) {
    rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    report.directories.push(entry);
  }
  return report;
}

/** Processes whose command line names a path inside one of `directories`. */
function processesUsing(directories: readonly string[]): number[] {
  if (directories.length === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (directories.some((d) => cmdline.includes(`${d}/`))) pids.push(pid);
  }
  return pids;
}
