import type { LogLevel } from '@meridian/logging';
import type { ListenerSettings } from './listener-settings';

/** What a worker needs to serve, sent by the primary as the first message. */
export interface WorkerSettings {
  listen: ListenerSettings;
  ednsPayloadSize: number;
  logLevel: LogLevel;
  region: string;
}

/**
 * Primary → worker. Zone updates carry protobuf bytes (ZoneSnapshot / ZoneDelta), which the
 * IPC channel's 'advanced' serialization passes as binary.
 */
export type ToWorker =
  | { t: 'init'; settings: WorkerSettings }
  | { t: 'snapshot'; epoch: string; version: number; data: Uint8Array }
  | { t: 'delta'; epoch: string; version: number; data: Uint8Array }
  | { t: 'stats'; requestId: number }
  | { t: 'stop' };

/** Worker → primary. */
export type FromWorker =
  | { t: 'listening'; udpPort: number; tcpPort: number }
  | { t: 'listen-failed'; error: string }
  | { t: 'applied'; version: number }
  /** The worker could not apply an update and wants a fresh snapshot. */
  | { t: 'resync'; version: number; error: string }
  | { t: 'stats'; requestId: number; values: number[] };

export function isFromWorker(value: unknown): value is FromWorker {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
