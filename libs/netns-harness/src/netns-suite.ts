import { checkNetnsRights, missingPrograms } from './rights';

/**
 * A jest `describe` for tests that need the multi-region network. Without root or `ip netns`
 * it does not run them, and says why in the test name; under CI (where it must run) it fails
 * with that reason instead, so a misconfigured runner cannot pass by skipping.
 */
export function describeWithNetns(title: string, body: () => void): void {
  const report = checkNetnsRights();
  describeIf(title, report.problems, body);
}

/** The same for tests that only need some programs on PATH (Unbound on loopback, dig). */
export function describeWithPrograms(title: string, programs: readonly string[], body: () => void): void {
  describeIf(title, missingPrograms(programs), body);
}

function describeIf(title: string, problems: readonly string[], body: () => void): void {
  if (problems.length === 0) {
    describe(title, body);
    return;
  }
  const why = problems.join('; ');
  describe(title, () => {
    if (process.env['CI']) {
      it('has what it needs to run (required in CI)', () => {
        throw new Error(`cannot run here: ${why}`);
      });
    } else {
      it.skip(`NOT RUN: ${why}`, () => undefined);
    }
  });
}
