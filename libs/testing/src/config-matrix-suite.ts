import type { z } from 'zod';
import { invalidConfigCases } from './invalid-config-cases';
import { runServiceToExit } from './service-process';

/** What a config validator reports: the problems of a ConfigError (duck-typed, so this lib does not depend on @meridian/config). */
interface ProblemsError {
  message: string;
  problems: { path: string; message: string }[];
}

/**
 * Every bad value of every field of an app's config schema (see invalidConfigCases) is
 * rejected with a problem that names that field and says what is allowed; and, as a real
 * process, a bad field makes the app exit 2 with the field and the fix on stderr.
 */
export function configMatrixSuite(app: string, schema: z.ZodType, validate: (raw: Record<string, unknown>) => unknown): void {
  const cases = invalidConfigCases(schema);

  describe(`${app}: every invalid config value`, () => {
    it('has a case for every field (the walker found the schema)', () => {
      expect(cases.length).toBeGreaterThan(20);
      expect(cases.map((c) => c.field)).toEqual(expect.arrayContaining(['region', 'grpc.port', 'grpc.tls.certFile', 'log.level', 'shutdown.graceSeconds']));
    });

    it.each(cases.map((c) => [c.field, c.kind, c] as const))('%s: %s → rejected, naming the field and what is allowed', (_field, _kind, c) => {
      let error: ProblemsError | undefined;
      try {
        validate(c.document);
      } catch (err) {
        error = err as ProblemsError;
      }
      expect(error?.problems).toBeDefined();
      const problem = error?.problems.find((p) => p.path === c.field);
      expect(problem).toBeDefined();
      // A fix, not just "invalid": every message says what is expected or allowed.
      expect(problem?.message).toMatch(/must|expected|allowed|unknown field|remove|needs|is required|give/i);
      expect(error?.message).toContain(c.field);
    });

    // One process run per kind of value, so exit 2 and the stderr text are checked without a process per case.
    const sample = [...new Map(cases.filter((c) => !c.field.endsWith('noSuchField') || c.field === 'noSuchField').map((c) => [c.kind, c])).values()].slice(0, 4);
    it.each(sample.map((c) => [c.field, c.kind, c] as const))('as a process, %s: %s → exit 2, the field on stderr', async (_field, _kind, c) => {
      const { code, stderr } = await runServiceToExit(app, JSON.stringify(c.document));
      expect(code).toBe(2);
      expect(stderr).toContain(c.field);
    }, 20_000);
  });
}
