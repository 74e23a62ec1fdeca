/**
 * How large one Watch message may be. A snapshot is one message (ADR 0009): a zone of
 * 100,000 hosts × 3 regions encodes to tens of MiB, far above gRPC's 4 MiB receive default,
 * so every receiver of a snapshot sets its limit from configuration.
 */

/** gRPC's default receive limit: a zone snapshot of about 18,000 hosts. */
export const GRPC_DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Meridian's default receive limit for snapshots: room for several times 100,000 hosts × 3 regions. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** The largest limit gRPC accepts (a signed 32-bit length). */
export const MAX_MAX_MESSAGE_BYTES = 2 ** 31 - 1;

/** The three bounds together, as libs/config's messageSizeSchema takes them. */
export const MESSAGE_SIZE_LIMITS = { grpcDefault: GRPC_DEFAULT_MAX_MESSAGE_BYTES, max: MAX_MAX_MESSAGE_BYTES, default: DEFAULT_MAX_MESSAGE_BYTES } as const;

/** True when a gRPC error says a received message was over the receiver's limit. */
export function isMessageTooLarge(detail: string): boolean {
  return /larger than max/i.test(detail);
}
