import type { ServiceDefinition } from '@grpc/grpc-js';

// A service defined with JSON serialization, so the kit is tested without generated code.
const json = {
  requestSerialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  requestDeserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
  responseSerialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  responseDeserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};

export interface ItemsWatchResponse {
  epoch: string;
  version: number;
  event: { $case: 'snapshot'; snapshot: string[] } | { $case: 'delta'; delta: string } | { $case: 'heartbeat' };
}

export const itemsService: ServiceDefinition = {
  Watch: { path: '/test.v1.ItemsService/Watch', requestStream: false, responseStream: true, originalName: 'watch', ...json },
  Slow: { path: '/test.v1.ItemsService/Slow', requestStream: false, responseStream: false, originalName: 'slow', ...json },
};
