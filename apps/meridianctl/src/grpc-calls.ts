import type { CallOptions, ClientReadableStream, ClientUnaryCall, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { ServiceName } from './endpoints';
import { describeCallError } from './grpc-error-message';
import type { ServiceClients } from './service-clients';

/** Which call is made, for error messages. */
export interface CallTarget {
  clients: ServiceClients;
  service: ServiceName;
  method: string;
  timeoutMs: number;
}

/** A unary call with a deadline; errors become ServiceCallError with a clear message. */
export function unary<Res>(target: CallTarget, call: (options: Partial<CallOptions>, callback: (error: ServiceError | null, response: Res) => void) => ClientUnaryCall): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    call({ deadline: deadline(target.timeoutMs) }, (error, response) => {
      if (error) reject(describeCallError(target.service, target.clients.address(target.service), target.method, error, target.timeoutMs));
      else resolve(response);
    });
  });
}

/**
 * The first message of a Watch stream that satisfies `accept` (the snapshot), within the
 * deadline; the stream is then cancelled.
 */
export function firstMessage<T>(target: CallTarget, open: (options: Partial<CallOptions>) => ClientReadableStream<T>, accept: (message: T) => boolean = () => true): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stream = open({ deadline: deadline(target.timeoutMs) });
    let settled = false;
    stream.on('data', (message: T) => {
      if (settled || !accept(message)) return;
      settled = true;
      resolve(message);
      stream.cancel();
    });
    stream.on('error', (error: ServiceError) => {
      if (settled) return;
      settled = true;
      reject(describeCallError(target.service, target.clients.address(target.service), target.method, error, target.timeoutMs));
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      reject(describeCallError(target.service, target.clients.address(target.service), target.method, endedError(), target.timeoutMs));
    });
  });
}

function endedError(): ServiceError {
  return Object.assign(new Error('the stream ended before its snapshot'), { code: status.UNKNOWN, details: 'the stream ended before its snapshot', metadata: undefined as never });
}

export function deadline(timeoutMs: number): Date {
  return new Date(Date.now() + timeoutMs);
}
