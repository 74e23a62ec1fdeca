/** One thing wrong in a configuration: where, what was given, and what is allowed. */
export interface ConfigProblem {
  /** Dotted path of the field, for example `grpc.port`. */
  path: string;
  /** Where the value came from: the file, or the environment variable that set it. */
  origin: string;
  /** The offending value, or undefined when the field is missing. */
  value: unknown;
  /** What is wrong and what is allowed. */
  message: string;
}

/** Thrown when a configuration cannot be read or does not validate; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(formatProblems(source, problems), options);
  }
}

function formatProblems(source: string, problems: ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const given = p.value === undefined ? 'missing' : `got ${JSON.stringify(p.value)}`;
    const where = p.origin === source ? '' : ` (from ${p.origin})`;
    return `  - ${p.path || '(root)'}: ${given}${where}: ${p.message}`;
  });
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `invalid configuration in ${source}, ${problems.length} ${noun}:\n${lines.join('\n')}`;
}
