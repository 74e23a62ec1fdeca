export type { StreamEvent, StreamPosition } from './stream-event';
export { VersionedStream, type VersionedStreamOptions } from './versioned-stream';
