import { Backoff } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import type { PeerConnector } from './peer-connector';
import type { PeerLink } from './peer-link';
import type { SessionEnd, PeerSession } from './peer-session';
import type { PeerSpec } from './peer-spec';

export interface PeerDialerOptions {
  peer: PeerSpec;
  connector: PeerConnector;
  /** Builds the session for a freshly dialled link. */
  session: (link: PeerLink) => PeerSession;
  backoff?: Backoff;
  logger: Logger;
  /** Each session's end, for the membership's last error. */
  onSessionEnd?: (end: SessionEnd) => void;
}

/**
 * Keeps one Exchange open to a peer this region dials: connect, run the session until it
 * ends, wait (exponential backoff with jitter, reset after an established session), dial
 * again. The peer resumes us from the position in our hello, so nothing is lost in between.
 */
export class PeerDialer {
  private stopped = true;
  private current: { session: PeerSession; close: () => void } | undefined;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly options: PeerDialerOptions) {
    this.backoff = options.backoff ?? new Backoff({ initialMs: 200, maxMs: 10_000 });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(reason = 'stopped'): Promise<void> {
    this.stopped = true;
    this.current?.session.close(reason);
    this.current?.close();
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { peer, connector, logger } = this.options;
    while (!this.stopped) {
      let end: SessionEnd;
      try {
        const connection = connector.connect(peer);
        const session = this.options.session(connection.link);
        this.current = { session, close: connection.close };
        end = await session.run();
        connection.close();
      } catch (err) {
        end = { region: peer.region, established: false, reason: (err as Error).message };
      }
      this.current = undefined;
      this.options.onSessionEnd?.(end);
      if (this.stopped) break;
      if (end.established) this.backoff.reset();
      const delayMs = this.backoff.next();
      logger.info('redialling the peer', { peer: peer.region, address: peer.address, inMs: delayMs, reason: end.reason });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
