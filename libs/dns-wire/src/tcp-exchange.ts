import { connect, type Socket } from 'node:net';

export interface TcpExchangeOptions {
  host: string;
  port: number;
  timeoutMs?: number;
}

/**
 * Sends DNS messages over one TCP connection, all at once (pipelined, RFC 7766 §6.2.1.1),
 * and resolves with every reply in the order it arrived, once as many replies as queries
 * came back. Replies may come in any order; match them by ID.
 */
export function exchangeTcp(messages: readonly Uint8Array[], options: TcpExchangeOptions): Promise<Buffer[]> {
  return new Promise<Buffer[]>((resolve, reject) => {
    const socket: Socket = connect({ host: options.host, port: options.port });
    const replies: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`${replies.length} of ${messages.length} replies within ${options.timeoutMs ?? 5000} ms`)), options.timeoutMs ?? 5000);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies);
    };
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(replies.length === messages.length ? undefined : new Error(`connection closed after ${replies.length} of ${messages.length} replies`)));
    socket.on('connect', () => {
      const frames = messages.map((m) => {
        const frame = Buffer.alloc(2 + m.length);
        frame.writeUInt16BE(m.length, 0);
        frame.set(m, 2);
        return frame;
      });
      socket.write(Buffer.concat(frames));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        replies.push(Buffer.from(pending.subarray(2, 2 + length)));
        pending = pending.subarray(2 + length);
      }
      if (replies.length === messages.length) finish();
    });
  });
}
