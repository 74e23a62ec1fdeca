import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UDP, type QueryHandler } from './query-handler';
import type { QueryStats } from './query-stats';
import type { ListenerSettings } from './listener-settings';

/** DNS over UDP: one datagram in, at most one datagram out, answered synchronously. */
export class UdpListener {
  private socket: Socket | undefined;

  constructor(
    private readonly handler: QueryHandler,
    private readonly stats: QueryStats,
    private readonly settings: ListenerSettings,
  ) {}

  /** Binds and resolves with the port. In a cluster worker the primary shares one socket among workers. */
  async start(port: number): Promise<number> {
    // Replies go to the address the query came from, always an IP literal: resolve it
    // synchronously instead of through dns.lookup (a process.nextTick per reply).
    const family = isIPv6(this.settings.host) ? 6 : 4;
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      lookup: (address: string, _options: unknown, callback: (err: Error | null, address: string, family: number) => void) =>
        callback(null, address, family),
    } as Parameters<typeof createSocket>[0]);
    this.socket = socket;
    const handler = this.handler;
    const stats = this.stats;
    socket.on('message', (msg, rinfo) => {
      const started = performance.now();
      const reply = handler.handle(msg, UDP, rinfo.address);
      if (reply !== undefined) socket.send(reply, rinfo.port, rinfo.address);
      stats.latency(UDP, (performance.now() - started) / 1000);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: this.settings.host, port, exclusive: false }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // Send failures (a full buffer, an unreachable client) are counted, never fatal.
    socket.on('error', () => stats.dropped(2));
    const { receiveBufferBytes, sendBufferBytes } = this.settings.udp;
    try {
      if (receiveBufferBytes > 0) socket.setRecvBufferSize(receiveBufferBytes);
      if (sendBufferBytes > 0) socket.setSendBufferSize(sendBufferBytes);
    } catch {
      // The kernel may cap the sizes (net.core.rmem_max); the defaults still work.
    }
    return socket.address().port;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
