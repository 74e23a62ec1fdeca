import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TCP, type QueryHandler } from './query-handler';
import { TcpCounter, type QueryStats } from './query-stats';
import type { ListenerSettings } from './listener-settings';

/**
 * DNS over TCP (RFC 7766): two-byte length-prefixed messages, pipelined. Each query is
 * answered as soon as it is read, so replies to pipelined queries go out in the order they
 * complete (here: arrival order, which RFC 7766 allows as "any order"). Limits: connections
 * per process, queries in flight per connection (reading pauses until replies are flushed),
 * and an idle timeout.
 */
export class TcpListener {
  private server: Server | undefined;
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly handler: QueryHandler,
    private readonly stats: QueryStats,
    private readonly settings: ListenerSettings,
  ) {}

  async start(port: number): Promise<number> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.settings.host, port, exclusive: false }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const { maxConnections, idleTimeoutMs, maxInFlightPerConnection } = this.settings.tcp;
    if (this.connections.size >= maxConnections) {
      this.stats.tcp(TcpCounter.REJECTED);
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    this.stats.tcp(TcpCounter.ACCEPTED);
    this.stats.tcp(TcpCounter.OPEN);
    const stats = this.stats;
    const handler = this.handler;
    const address = socket.remoteAddress ?? '';
    let pending: Buffer | undefined;
    let inFlight = 0;
    let ended = false;
    let paused = false;

    const maybeEnd = () => {
      if (ended && inFlight === 0 && (pending === undefined || pending.length < 2)) socket.end();
    };
    const written = () => {
      inFlight--;
      if (paused && inFlight < maxInFlightPerConnection) {
        paused = false;
        drain();
        if (!paused) socket.resume();
      }
      maybeEnd();
    };
    // Answers every complete message buffered, up to the in-flight cap.
    const drain = () => {
      let buf = pending;
      if (buf === undefined) return;
      let offset = 0;
      while (buf.length - offset >= 2) {
        const length = buf.readUInt16BE(offset);
        if (buf.length - offset - 2 < length) break;
        if (inFlight >= maxInFlightPerConnection) {
          paused = true;
          stats.tcp(TcpCounter.PAUSED);
          socket.pause();
          break;
        }
        const started = performance.now();
        const reply = handler.handle(buf.subarray(offset + 2, offset + 2 + length), TCP, address);
        offset += 2 + length;
        if (reply !== undefined) {
          inFlight++;
          socket.write(reply, written);
        }
        stats.latency(TCP, (performance.now() - started) / 1000);
      }
      buf = offset >= buf.length ? undefined : buf.subarray(offset);
      pending = buf;
    };

    socket.setTimeout(idleTimeoutMs, () => {
      stats.tcp(TcpCounter.IDLE_CLOSED);
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
      drain();
    });
    socket.on('end', () => {
      ended = true;
      maybeEnd();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(socket);
      stats.tcp(TcpCounter.OPEN, -1);
    });
  }
}
