/** A TLS setting that cannot be used: names the config field, the file and the fix. */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';

  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}

/** A gRPC server that could not start or bind. */
export class GrpcServerError extends Error {
  override readonly name = 'GrpcServerError';
}
