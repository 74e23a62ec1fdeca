import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from '@meridian/logging';
import type { CallObserver } from './observe-call';

// Codes that mean the server is at fault; everything else is the caller's business.
const SERVER_FAULTS = new Set([GrpcStatus.UNKNOWN, GrpcStatus.INTERNAL, GrpcStatus.DATA_LOSS, GrpcStatus.UNIMPLEMENTED]);

/** One structured record per finished call: debug when fine, warn when the server is at fault. */
export function callLoggingObserver(logger: Logger): CallObserver {
  return (info, peer) => {
    const startedAt = Date.now();
    return (code, details) => {
      const fields = {
        service: info.service,
        method: info.method,
        type: info.type,
        code: GrpcStatus[code] ?? code,
        details,
        peer,
        durationMs: Date.now() - startedAt,
      };
      if (SERVER_FAULTS.has(code)) logger.warn('grpc call failed', fields);
      else logger.debug('grpc call finished', fields);
    };
  };
}
