import { once } from 'node:events';
import type { PeerCertificate } from 'node:tls';
import { status as GrpcStatus, type ClientDuplexStream, type ServerDuplexStream } from '@grpc/grpc-js';

/**
 * One Exchange stream as a session sees it, whichever side opened it: raw frames in and out,
 * flow control, and the ways it can end. The gRPC adapters below implement it; tests pair
 * two in memory.
 */
export interface PeerLink {
  /** The other end's address, for logs. */
  readonly remoteAddress: string;
  /** 'response' when this side is the server (it writes ExchangeResponse). */
  readonly writes: 'request' | 'response';
  /** Writes a frame; resolves when the transport takes more (HTTP/2 flow control) or the link closed. */
  write(frame: Buffer): Promise<void>;
  /** Ends the stream cleanly. */
  end(): void;
  /** Ends the stream with an error status (the client side can only cancel). */
  fail(code: GrpcStatus, details: string): void;
  onData(listener: (frame: Buffer) => void): void;
  /** Called once, whichever way the link ended. */
  onClose(listener: (reason: string) => void): void;
  /** The client certificate a server-side link was opened with. */
  peerCertificate(): PeerCertificate | undefined;
}

/** The accepting side of Exchange. */
export function serverLink(call: ServerDuplexStream<Buffer, Buffer>): PeerLink {
  let closed = false;
  const closeListeners: ((reason: string) => void)[] = [];
  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  const closedPromise = new Promise<void>((resolve) => closeListeners.push(() => resolve()));
  call.on('cancelled', () => close('the peer went away (cancelled)'));
  call.on('end', () => close('the peer ended the stream'));
  call.on('close', () => close('the stream closed'));
  call.on('error', (err: Error) => close(`stream error: ${err.message}`));
  return {
    remoteAddress: call.getPeer(),
    writes: 'response',
    write: async (frame) => {
      if (closed) return;
      if (!call.write(frame)) await Promise.race([once(call, 'drain').catch(() => undefined), closedPromise]);
    },
    end: () => {
      if (!closed) call.end();
      close('ended by this side');
    },
    fail: (code, details) => {
      if (!closed) call.emit('error', { code, details });
      close(details);
    },
    onData: (listener) => call.on('data', listener),
    onClose: (listener) => closeListeners.push(listener),
    peerCertificate: () => call.getAuthContext()?.sslPeerCertificate,
  };
}

/** The dialling side of Exchange. */
export function clientLink(call: ClientDuplexStream<Buffer, Buffer>, remoteAddress: string): PeerLink {
  let closed = false;
  const closeListeners: ((reason: string) => void)[] = [];
  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  const closedPromise = new Promise<void>((resolve) => closeListeners.push(() => resolve()));
  call.on('error', (err: Error & { code?: number; details?: string }) => close(err.details ?? err.message));
  call.on('end', () => close('the peer ended the stream'));
  call.on('status', (status: { code: number; details: string }) => {
    if (status.code !== GrpcStatus.OK) close(status.details);
  });
  return {
    remoteAddress,
    writes: 'request',
    write: async (frame) => {
      if (closed) return;
      if (!call.write(frame)) await Promise.race([once(call, 'drain').catch(() => undefined), closedPromise]);
    },
    end: () => {
      if (!closed) call.cancel();
      close('ended by this side');
    },
    fail: (_code, details) => {
      if (!closed) call.cancel();
      close(details);
    },
    onData: (listener) => call.on('data', listener),
    onClose: (listener) => closeListeners.push(listener),
    peerCertificate: () => undefined,
  };
}
