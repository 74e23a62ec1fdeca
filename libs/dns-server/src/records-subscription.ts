import type { ChannelCredentials, ClientReadableStream } from '@grpc/grpc-js';
import { Backoff, clientChannelOptions, ResumableWatch, type WatchState } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import { RecordsServiceClient, type WatchZoneResponse } from '@meridian/proto';
import { DEFAULT_MAX_MESSAGE_BYTES, isMessageTooLarge } from '@meridian/streams';
import type { ZoneFeed } from './zone-feed';

export interface RecordsSubscriptionOptions {
  /** host:port of each records replica; the subscription moves to the next one after a failure. */
  endpoints: readonly string[];
  credentials: ChannelCredentials;
  clientId: string;
  feed: ZoneFeed;
  logger: Logger;
  /** No message (heartbeats included) for this long means the stream is dead. */
  heartbeatTimeoutMs: number;
  /** The largest WatchZone message accepted: a snapshot is one message (ADR 0009). Default 256 MiB. */
  maxMessageBytes?: number;
  backoff?: Backoff;
  onStateChange?: (state: WatchState) => void;
}

/**
 * The WatchZone subscription: one records endpoint at a time, resumed from the last applied
 * epoch and version, with backoff between attempts (ResumableWatch). Every message the stream
 * delivers while in sync confirms the data, which is what the zone-age metric measures. When
 * the stream is gone the feed keeps its last zone: static stability.
 */
export class RecordsSubscription {
  readonly name = 'records-subscription';
  private readonly clients: RecordsServiceClient[];
  private readonly watch: ResumableWatch<WatchZoneResponse>;
  private index = 0;
  private failedSinceOpen = false;
  private readonly maxMessageBytes: number;
  /**
   * Added to records' versions so the served version never goes back (ADR dns-0004): fixed at
   * each snapshot, so the deltas that follow it stay contiguous for the feed and the workers.
   */
  private versionOffset = 0;

  constructor(private readonly options: RecordsSubscriptionOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.clients = options.endpoints.map(
      (endpoint) => new RecordsServiceClient(endpoint, options.credentials, clientChannelOptions({ 'grpc.max_receive_message_length': this.maxMessageBytes })),
    );
    this.watch = new ResumableWatch<WatchZoneResponse>({
      open: (from) => this.open(from),
      apply: (response) => this.apply(response),
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      logger: options.logger,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      onStateChange: (state, detail) => this.stateChanged(state, detail),
    });
  }

  get endpoint(): string {
    return this.options.endpoints[this.index] as string;
  }

  get state(): WatchState {
    return this.watch.state;
  }

  start(): void {
    this.watch.start();
  }

  stop(): void {
    this.watch.stop();
    for (const client of this.clients) client.close();
  }

  private open(from: { epoch: string; sinceVersion: number }): ClientReadableStream<WatchZoneResponse> {
    if (this.failedSinceOpen) {
      this.index = (this.index + 1) % this.clients.length;
      this.failedSinceOpen = false;
    }
    const client = this.clients[this.index] as RecordsServiceClient;
    const call = client.watchZone({ clientId: this.options.clientId, epoch: from.epoch, sinceVersion: from.sinceVersion });
    // Runs after ResumableWatch has handled the message (listeners run in order, then this
    // microtask): a message that left the watch in sync confirms the data.
    call.on('data', () =>
      queueMicrotask(() => {
        if (this.watch.state === 'synced') this.options.feed.confirm();
      }),
    );
    return call;
  }

  /** How far the served version is above records' own version (0 unless a snapshot came in lower). */
  get servedVersionOffset(): number {
    return this.versionOffset;
  }

  private apply(response: WatchZoneResponse): void {
    const event = response.event;
    const feed = this.options.feed;
    if (event?.$case === 'snapshot') {
      // Replicas (and restarts) of records number their versions independently: a snapshot
      // from another epoch may carry a lower version than the one served. The served version
      // is kept going forward (one above the last, for data that may differ), never back.
      const floor = !feed.hasData ? 0 : response.epoch === feed.epoch ? feed.version : feed.version + 1;
      this.versionOffset = Math.max(0, floor - response.version);
      feed.apply({ kind: 'snapshot', epoch: response.epoch, version: response.version + this.versionOffset, snapshot: event.snapshot });
    } else if (event?.$case === 'delta') {
      feed.apply({ kind: 'delta', epoch: response.epoch, version: response.version + this.versionOffset, delta: event.delta });
    }
  }

  private stateChanged(state: WatchState, detail: string): void {
    if (state === 'disconnected') this.failedSinceOpen = true;
    if (state === 'disconnected' && isMessageTooLarge(detail)) {
      // Retrying cannot help: the snapshot stays too large until the limit is raised.
      this.options.logger.error('a WatchZone message is over records.maxMessageBytes; raise it', { detail, maxMessageBytes: this.maxMessageBytes });
    }
    const feed = this.options.feed;
    const source = `records ${this.endpoint}`;
    if (state === 'synced') {
      feed.setSource('synced', source);
    } else if ((state === 'connecting' || state === 'disconnected') && feed.sourceState !== 'file') {
      // Data from a snapshot file stays "file" until records syncs; data from records is now
      // unconfirmed but still served (static stability): "disconnected".
      feed.setSource(feed.hasData ? 'disconnected' : 'connecting', source);
    }
    this.options.onStateChange?.(state);
  }
}
