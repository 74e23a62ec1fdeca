import type { ServerMethodDefinition } from '@grpc/grpc-js';

export type GrpcCallType = 'unary' | 'client_stream' | 'server_stream' | 'bidi_stream';

/** The labels of a call, from its method path `/meridian.v1.RecordsService/WatchZone`. */
export interface CallInfo {
  service: string;
  method: string;
  type: GrpcCallType;
}

export function callInfo(definition: ServerMethodDefinition<unknown, unknown>): CallInfo {
  const [, service = 'unknown', method = 'unknown'] = definition.path.split('/');
  const type: GrpcCallType = definition.requestStream
    ? definition.responseStream
      ? 'bidi_stream'
      : 'client_stream'
    : definition.responseStream
      ? 'server_stream'
      : 'unary';
  return { service, method, type };
}
