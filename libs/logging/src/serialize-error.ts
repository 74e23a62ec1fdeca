export interface SerializedError {
  name: string;
  message: string;
  code?: unknown;
  stack?: string;
  cause?: SerializedError | unknown;
}

/** Turns an error and its `cause` chain into plain data for a log record. */
export function serializeError(error: Error, depth = 0): SerializedError {
  const out: SerializedError = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined) {
    // Cause chains are short in practice; the bound only guards against cycles.
    out.cause = error.cause instanceof Error && depth < 8 ? serializeError(error.cause, depth + 1) : error.cause;
  }
  return out;
}
