import { runSync } from './command';

export interface RightsReport {
  readonly ok: boolean;
  /** What is missing, each with the fix. */
  readonly problems: readonly string[];
}

/** The network harness cannot run here; the message says what is missing and how to fix it. */
export class NetnsRightsError extends Error {
  override readonly name = 'NetnsRightsError';
  constructor(readonly problems: readonly string[]) {
    super(`the multi-region test network cannot run here:\n- ${problems.join('\n- ')}`);
  }
}

const PROGRAM_PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  named: 'bind9',
  unbound: 'unbound',
  dig: 'bind9-dnsutils',
};

/** Whether programs are on PATH; each missing one named with its Debian package. */
export function missingPrograms(programs: readonly string[]): string[] {
  return programs
    .filter((p) => runSync('sh', ['-c', `command -v ${p}`]).code !== 0)
    .map((p) => `\`${p}\` is not installed: apt-get install ${PROGRAM_PACKAGES[p] ?? p}`);
}

/** Probing creates a namespace, so it is done once per process and list of programs. */
const reports = new Map<string, RightsReport>();

/**
 * Whether this process may build network namespaces: root (CAP_SYS_ADMIN and CAP_NET_ADMIN),
 * iproute2's `ip netns`, and the DNS programs the network runs. Checked once per process by
 * actually adding and deleting a namespace, since a container may deny it even to root.
 */
export function checkNetnsRights(programs: readonly string[] = ['ip', 'named', 'unbound', 'dig']): RightsReport {
  const key = programs.join(',');
  const known = reports.get(key);
  if (known) return known;
  const problems = missingPrograms(programs);
  const uid = process.getuid?.();
  if (uid !== 0) {
    problems.push(`running as uid ${uid ?? 'unknown'}, but network namespaces need root (CAP_SYS_ADMIN + CAP_NET_ADMIN): run the tests as root, as CI does`);
  } else if (!problems.some((p) => p.startsWith('`ip`'))) {
    const probe = `mrdprobe${process.pid}`;
    const added = runSync('ip', ['netns', 'add', probe]);
    if (added.code !== 0) {
      problems.push(`\`ip netns add\` failed (${added.stderr.trim() || `exit ${added.code}`}): this machine or container does not allow network namespaces`);
    } else {
      runSync('ip', ['netns', 'del', probe]);
    }
  }
  const report = { ok: problems.length === 0, problems };
  reports.set(key, report);
  return report;
}

/** Throws {@link NetnsRightsError} unless the harness can run. */
export function requireNetnsRights(programs?: readonly string[]): void {
  const report = checkNetnsRights(programs);
  if (!report.ok) throw new NetnsRightsError(report.problems);
}
