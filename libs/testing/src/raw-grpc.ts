import { Client, credentials as grpcCredentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';

/** The shape of one method of a generated grpc-js service definition. */
export interface RawMethod {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
}

export interface RawCallOptions {
  credentials?: ChannelCredentials;
  /** The call's deadline (default 5 s): a server that neither rejects nor answers shows up as DEADLINE_EXCEEDED. */
  timeoutMs?: number;
  /** grpc-js client channel options (for example a larger grpc.max_send_message_length). */
  channelOptions?: Record<string, string | number>;
}

export interface RawCallResult {
  /** The final status code (0 = OK). */
  code: number;
  details: string;
  /** Messages the server sent before the status. */
  messages: number;
}

const identity = (b: Buffer): Buffer => b;

/**
 * Calls `method` on `address` with `requests` sent as raw bytes: no serializer runs on the
 * client side, so whatever bytes are given reach the server's deserializer. Resolves with the
 * final status; never rejects for a gRPC error. Used to show that bad messages fail their own
 * call with a clear code and leave the server serving.
 */
export function rawGrpcCall(address: string, method: RawMethod, requests: Buffer[], options: RawCallOptions = {}): Promise<RawCallResult> {
  const client = new Client(address, options.credentials ?? grpcCredentials.createInsecure(), { 'grpc.max_send_message_length': -1, ...options.channelOptions });
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  let messages = 0;
  return new Promise<RawCallResult>((resolve) => {
    const done = (err: ServiceError | null): void => {
      client.close();
      resolve({ code: err?.code ?? 0, details: err?.details ?? '', messages });
    };
    const first = requests[0] ?? Buffer.alloc(0);
    if (!method.requestStream && !method.responseStream) {
      client.makeUnaryRequest(method.path, identity, identity, first, new Metadata(), { deadline }, (err) => done(err));
      return;
    }
    if (!method.requestStream) {
      const call = client.makeServerStreamRequest(method.path, identity, identity, first, new Metadata(), { deadline });
      call.on('data', () => messages++);
      call.on('error', (err: ServiceError) => done(err));
      call.on('status', (s) => {
        if (s.code === 0) done(null);
      });
      return;
    }
    const call = method.responseStream
      ? client.makeBidiStreamRequest(method.path, identity, identity, new Metadata(), { deadline })
      : client.makeClientStreamRequest(method.path, identity, identity, new Metadata(), { deadline }, (err) => done(err));
    if (method.responseStream) {
      call.on('data', () => messages++);
      call.on('error', (err: ServiceError) => done(err));
      call.on('status', (s: { code: number }) => {
        if (s.code === 0) done(null);
      });
    }
    for (const request of requests) call.write(request);
    call.end();
  });
}
