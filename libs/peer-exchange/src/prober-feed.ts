import type { ChannelCredentials } from '@grpc/grpc-js';
import { Backoff, clientChannelOptions, ResumableWatch, type WatchState } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import { ProberServiceClient, type WatchLocalTargetsResponse } from '@meridian/proto';
import type { LocalTargets } from './local-targets';

export interface ProberFeedOptions {
  /** "host:port" of this region's prober. */
  address: string;
  credentials: ChannelCredentials;
  /** Names this subscriber in the prober's logs. */
  clientId: string;
  local: LocalTargets;
  /** No message for this long (three prober heartbeats) means the stream is dead. */
  heartbeatTimeoutMs: number;
  /** The largest WatchLocalTargets message accepted: the prober's snapshot is one message (ADR 0009). */
  maxMessageBytes: number;
  logger: Logger;
  backoff?: Backoff;
  /** The first snapshot was applied: this region's targets are known. */
  onSynced?: () => void;
  onStateChange?: (state: WatchState, detail: string) => void;
}

/**
 * Feeds LocalTargets from the local prober's WatchLocalTargets with a ResumableWatch: a
 * snapshot replaces every host (only the difference reaches peers), a delta changes some.
 */
export class ProberFeed {
  readonly name = 'prober-feed';
  private client: ProberServiceClient | undefined;
  private watch: ResumableWatch<WatchLocalTargetsResponse> | undefined;

  constructor(private readonly options: ProberFeedOptions) {}

  start(): void {
    const { address, credentials, clientId, local, logger } = this.options;
    const client = new ProberServiceClient(address, credentials, clientChannelOptions({ 'grpc.max_receive_message_length': this.options.maxMessageBytes }));
    this.client = client;
    let synced = false;
    this.watch = new ResumableWatch<WatchLocalTargetsResponse>({
      open: ({ epoch, sinceVersion }) => client.watchLocalTargets({ clientId, epoch, sinceVersion }),
      apply: (response) => {
        if (response.event?.$case === 'snapshot') local.replaceAll(response.event.snapshot.hosts);
        else if (response.event?.$case === 'delta') local.apply(response.event.delta.upserted, response.event.delta.removedHosts);
        if (!synced) {
          synced = true;
          logger.info('local targets synced from the prober', { address, hosts: local.size });
          this.options.onSynced?.();
        }
      },
      heartbeatTimeoutMs: this.options.heartbeatTimeoutMs,
      logger,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.onStateChange ? { onStateChange: this.options.onStateChange } : {}),
    });
    this.watch.start();
  }

  stop(): void {
    this.watch?.stop();
    this.client?.close();
  }
}
