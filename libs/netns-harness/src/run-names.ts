import { randomBytes } from 'node:crypto';

/**
 * Names of what one run creates on the host: `<prefix><pid>x<id>-<node>` for namespaces and
 * `<tmpdir>/<prefix><pid>x<id>` for files. The owner's pid in the name lets `sweep` tell
 * leftovers of a dead run from a live run's namespaces.
 */
export interface RunName {
  readonly prefix: string;
  readonly pid: number;
  readonly id: string;
}

export const DEFAULT_PREFIX = 'mrd';

export function newRunName(prefix = DEFAULT_PREFIX, pid = process.pid): RunName {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new Error(`prefix "${prefix}" must be 1 to 8 lower-case letters and digits, starting with a letter`);
  return { prefix, pid, id: randomBytes(3).toString('hex') };
}

export function runBase(run: RunName): string {
  return `${run.prefix}${run.pid}x${run.id}`;
}

export function namespaceName(run: RunName, node: string): string {
  return `${runBase(run)}-${node}`;
}

/** The run a namespace or directory name belongs to, if it is one of ours with this prefix. */
export function parseRunName(name: string, prefix = DEFAULT_PREFIX): RunName | undefined {
  const match = new RegExp(`^${prefix}(\\d+)x([0-9a-f]+)(?:-|$)`).exec(name);
  return match ? { prefix, pid: Number(match[1]), id: match[2] as string } : undefined;
}
