/** A DNS message or name that cannot be read or written as the RFCs say. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
  constructor(
    message: string,
    /** Byte offset in the message where reading failed, when known. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`, options);
  }
}
