/**
 * One invalid field of a strategy spec, region config or host input. The message names the
 * field, the offending value and the fix, so the edge can print it as is and exit.
 */
export class StrategyConfigError extends Error {
  override readonly name = 'StrategyConfigError';

  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${problem} (got ${describeValue(value)}); fix: ${fix}`, options);
  }
}

/** Every problem found in one validation pass, so a user fixes them all at once. */
export class InvalidStrategyConfigError extends AggregateError {
  override readonly name = 'InvalidStrategyConfigError';
  declare readonly errors: StrategyConfigError[];

  constructor(errors: readonly StrategyConfigError[], context: string) {
    super(errors, `${context}: ${errors.length} invalid field(s):\n- ${errors.map((e) => e.message).join('\n- ')}`);
  }
}

/** Throws an {@link InvalidStrategyConfigError} when `errors` is not empty. */
export function throwIfInvalid(errors: readonly StrategyConfigError[], context: string): void {
  if (errors.length > 0) throw new InvalidStrategyConfigError(errors, context);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}
