import type { ListenerSettings } from './listener-settings';
import type { QueryHandler } from './query-handler';
import type { QueryStats } from './query-stats';
import { TcpListener } from './tcp-listener';
import { UdpListener } from './udp-listener';

/** Typed failure to bind the DNS port, with the address it tried. */
export class DnsListenError extends Error {
  override readonly name = 'DnsListenError';
}

/** UDP and TCP on one port: UDP binds first (port 0 picks one), then TCP takes the same number. */
export class DnsListeners {
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener;

  constructor(handler: QueryHandler, stats: QueryStats, private readonly settings: ListenerSettings) {
    this.udp = new UdpListener(handler, stats, settings);
    this.tcp = new TcpListener(handler, stats, settings);
  }

  async start(): Promise<{ udpPort: number; tcpPort: number }> {
    // With port 0 the UDP port is picked first; that number may be taken for TCP by another
    // process, so pick again a few times before giving up.
    const attempts = this.settings.port === 0 ? 5 : 1;
    for (let attempt = 1; ; attempt++) {
      let udpPort: number;
      try {
        udpPort = await this.udp.start(this.settings.port);
      } catch (cause) {
        throw new DnsListenError(`cannot bind UDP ${this.settings.host}:${this.settings.port}: ${(cause as Error).message}`, { cause });
      }
      try {
        const tcpPort = await this.tcp.start(udpPort);
        return { udpPort, tcpPort };
      } catch (cause) {
        await this.udp.stop();
        if (attempt < attempts && (cause as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw new DnsListenError(`cannot bind TCP ${this.settings.host}:${udpPort}: ${(cause as Error).message}`, { cause });
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.udp.stop(), this.tcp.stop()]);
  }
}
