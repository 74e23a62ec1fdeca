export { DEFAULT_MAX_MESSAGE_BYTES, GRPC_DEFAULT_MAX_MESSAGE_BYTES, isMessageTooLarge, MAX_MAX_MESSAGE_BYTES, MESSAGE_SIZE_LIMITS } from './message-size';
export type { StreamEvent, StreamPosition } from './stream-event';
export { VersionedStream, type VersionedStreamOptions } from './versioned-stream';
