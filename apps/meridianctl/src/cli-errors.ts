/** Bad command line: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command ran and failed (a file it needs, a service): the CLI prints the message and exits 1. */
export class CliFailure extends Error {
  override readonly name: string = 'CliFailure';
}

/** A service could not be reached or answered with an error. */
export class ServiceCallError extends CliFailure {
  override readonly name = 'ServiceCallError';

  constructor(
    readonly service: string,
    readonly address: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
