import { status, type ServiceError } from '@grpc/grpc-js';
import { ServiceCallError } from './cli-errors';

const HINT = 'is the region running? (npm start)';

/** Turns a gRPC error into a sentence that names the service, its address and what to do. */
export function describeCallError(service: string, address: string, method: string, error: ServiceError, timeoutMs: number): ServiceCallError {
  const reason = unreachableReason(error, timeoutMs);
  if (reason !== undefined) {
    return new ServiceCallError(service, address, `cannot reach ${service} at ${address}: ${reason} — ${HINT}`, { cause: error });
  }
  if (error.code === status.UNIMPLEMENTED) {
    return new ServiceCallError(service, address, `${address} does not serve ${service}'s ${method}: is it the right port for ${service}?`, { cause: error });
  }
  const code = status[error.code] ?? String(error.code);
  return new ServiceCallError(service, address, `${service} at ${address} failed ${method}: ${code}: ${error.details || error.message}`, { cause: error });
}

/** Why the service could not be reached, or undefined when it was reached and answered with an error. */
export function unreachableReason(error: Pick<ServiceError, 'code' | 'details'>, timeoutMs: number): string | undefined {
  const details = error.details ?? '';
  if (error.code === status.DEADLINE_EXCEEDED) return `no answer within ${timeoutMs / 1000} s`;
  if (error.code !== status.UNAVAILABLE) return undefined;
  if (/ECONNREFUSED/.test(details)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed/i.test(details)) return 'host name not found';
  if (/EHOSTUNREACH|ENETUNREACH/.test(details)) return 'host unreachable';
  if (/ECONNRESET/.test(details)) return 'connection reset';
  if (/ssl|tls|certificate|handshake/i.test(details)) return `TLS handshake failed (${details}); check --ca, --cert and --key`;
  return details || 'unavailable';
}
