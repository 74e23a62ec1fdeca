/** The edge DNS could not be reached, or answered something that is not DNS. Retried. */
export class EdgeDnsError extends Error {
  override readonly name: string = 'EdgeDnsError';

  constructor(
    message: string,
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(`edge DNS ${server}: ${message}`, options);
  }
}

/**
 * The edge DNS answered an update with an error: a TSIG failure, a policy refusal, a zone it
 * does not serve. The message says which, and what to fix.
 */
export class EdgeDnsUpdateRefusedError extends EdgeDnsError {
  override readonly name = 'EdgeDnsUpdateRefusedError';

  constructor(
    message: string,
    server: string,
    /** The response code name: REFUSED, NOTAUTH, NOTZONE… */
    readonly rcode: string,
    /** The TSIG error name (BADSIG, BADKEY, BADTIME…), when the server reported one. */
    readonly tsigError: string | undefined,
  ) {
    super(message, server);
  }
}

/** A TSIG key that cannot be used: names the config field, the file and the fix. */
export class TsigKeyError extends Error {
  override readonly name = 'TsigKeyError';

  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}

/** A signed response whose TSIG is missing or does not verify: the answer cannot be trusted. */
export class TsigVerificationError extends Error {
  override readonly name = 'TsigVerificationError';
}
