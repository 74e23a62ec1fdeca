import { once } from 'node:events';
import { status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from '@meridian/logging';
import type { StreamEvent, VersionedStream } from '@meridian/streams';

/** What every Watch request carries. */
export interface WatchRequestLike {
  clientId: string;
  epoch: string;
  sinceVersion: number;
}

export interface ServeWatchOptions<S, D, M> {
  stream: VersionedStream<S, D>;
  /** Maps an event to the service's response message. */
  toMessage: (event: StreamEvent<S, D>) => M;
  heartbeatMs: number;
  /** Ends the stream cleanly (OK) when aborted: the server is draining. */
  shutdownSignal: AbortSignal;
  logger: Logger;
}

/**
 * Serves one subscriber of a snapshot-then-delta stream: a snapshot (or the deltas since the
 * subscriber's position), then each change as a delta, heartbeats when idle. Honours flow
 * control, so a slow subscriber reads at its own pace and falls back to a snapshot rather
 * than making the server buffer without bound.
 */
export async function serveWatch<Req extends WatchRequestLike, S, D, M>(
  call: ServerWritableStream<Req, M>,
  options: ServeWatchOptions<S, D, M>,
): Promise<void> {
  const { stream, toMessage, heartbeatMs, shutdownSignal } = options;
  const log = options.logger.child({ subscriber: call.request.clientId || call.getPeer() });
  let open = true;
  const closed = new Promise<'closed'>((resolve) => {
    const close = () => {
      open = false;
      resolve('closed');
    };
    call.once('cancelled', close);
    call.once('close', close);
    call.once('error', close);
  });
  const aborted = new Promise<'aborted'>((resolve) => {
    if (shutdownSignal.aborted) resolve('aborted');
    else shutdownSignal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  try {
    let cursor = stream.resumeCursor({ epoch: call.request.epoch, version: call.request.sinceVersion });
    log.debug('watch started', { resumed: cursor !== undefined, sinceVersion: call.request.sinceVersion });
    // A resumed subscriber that is already current learns so at once.
    if (cursor === stream.version) await write(call, toMessage({ kind: 'heartbeat', ...stream.position }), closed);
    while (open && !shutdownSignal.aborted) {
      const event = stream.next(cursor);
      if (event) {
        cursor = event.version;
        await write(call, toMessage(event), closed);
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const woke = await Promise.race([
        stream.changed().then(() => 'changed' as const),
        new Promise<'heartbeat'>((resolve) => (timer = setTimeout(() => resolve('heartbeat'), heartbeatMs))),
        closed,
        aborted,
      ]);
      clearTimeout(timer);
      if (woke === 'heartbeat') await write(call, toMessage({ kind: 'heartbeat', ...stream.position }), closed);
    }
    if (open) call.end();
  } catch (err) {
    log.error('watch stream failed', { err });
    if (open) call.emit('error', { code: GrpcStatus.INTERNAL, details: 'the server failed to stream this watch; resubscribe' });
  }
}

async function write<M>(call: ServerWritableStream<unknown, M>, message: M, closed: Promise<'closed'>): Promise<void> {
  if (call.write(message)) return;
  await Promise.race([once(call, 'drain'), closed]);
}

/** The envelope shared by every meridian.v1 Watch response. */
export interface WatchResponse<S, D> {
  epoch: string;
  version: number;
  event:
    | { $case: 'snapshot'; snapshot: S }
    | { $case: 'delta'; delta: D }
    | { $case: 'heartbeat'; heartbeat: { intervalMs: number; sentAt: Date } };
  sentAt: Date;
}

/** Maps a stream event to the Watch response envelope. */
export function toWatchResponse<S, D>(event: StreamEvent<S, D>, heartbeatMs: number, now: Date = new Date()): WatchResponse<S, D> {
  const base = { epoch: event.epoch, version: event.version, sentAt: now };
  switch (event.kind) {
    case 'snapshot':
      return { ...base, event: { $case: 'snapshot', snapshot: event.snapshot } };
    case 'delta':
      return { ...base, event: { $case: 'delta', delta: event.delta } };
    case 'heartbeat':
      return { ...base, event: { $case: 'heartbeat', heartbeat: { intervalMs: heartbeatMs, sentAt: now } } };
  }
}

/** A server-streaming handler that serves `stream` with the standard Watch envelope. */
export function watchHandler<S, D>(
  stream: VersionedStream<S, D>,
  options: { heartbeatMs: number; shutdownSignal: AbortSignal; logger: Logger },
): (call: ServerWritableStream<WatchRequestLike, WatchResponse<S, D>>) => Promise<void> {
  return (call) =>
    serveWatch(call, { ...options, stream, toMessage: (event) => toWatchResponse(event, options.heartbeatMs) });
}
