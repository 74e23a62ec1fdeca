import type { ChannelCredentials, ClientReadableStream } from '@grpc/grpc-js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@meridian/streams';
import { clientChannelOptions, ResumableWatch, type WatchResponseLike, type WatchState } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import {
  PeerSyncServiceClient,
  ProberServiceClient,
  WitnessServiceClient,
  type WatchLocalTargetsResponse,
  type WatchRemoteTargetsResponse,
  type WatchVerdictsResponse,
} from '@meridian/proto';
import {
  localDeltaFromProto,
  localSnapshotFromProto,
  remoteDeltaFromProto,
  remoteSnapshotFromProto,
  verdictsDeltaFromProto,
  verdictsSnapshotFromProto,
} from './from-proto';
import type { RecordsEngine } from './records-engine';
import type { InputName, RecordsMetrics } from './records-metrics';

/** Where records reads its inputs: the prober is required for zones; peer-sync and witness are optional. */
export interface InputEndpoints {
  readonly prober?: string;
  readonly peerSync?: string;
  readonly witness?: string;
  readonly credentials: ChannelCredentials;
  readonly clientId: string;
  /** No message (heartbeats included) for this long means the stream is dead. */
  readonly heartbeatTimeoutMs: number;
  /** The largest input message accepted: a snapshot is one message (ADR 0009). Default 256 MiB. */
  readonly maxMessageBytes?: number;
}

export interface InputSubscriptionsOptions {
  readonly endpoints: InputEndpoints;
  readonly engine: RecordsEngine;
  readonly localGeoTag: string;
  readonly logger: Logger;
  readonly metrics?: RecordsMetrics;
}

interface Subscription {
  readonly watch: { start(): void; stop(): void };
  readonly close: () => void;
}


/**
 * The three input streams, each a ResumableWatch (resume, resync, heartbeat timeout,
 * backoff) that converts what it receives to domain events for the engine. A peer-sync or
 * witness that is absent or down only leaves records with less to go on; records keeps
 * serving.
 */
export class InputSubscriptions {
  readonly name = 'input-subscriptions';
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly options: InputSubscriptionsOptions) {}

  start(): void {
    const { endpoints, engine, localGeoTag } = this.options;
    // Snapshots of large fleets exceed gRPC's 4 MiB default (ADR 0009).
    const CHANNEL_OPTIONS = clientChannelOptions({ 'grpc.max_receive_message_length': endpoints.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
    if (endpoints.prober !== undefined) {
      const client = new ProberServiceClient(endpoints.prober, endpoints.credentials, CHANNEL_OPTIONS);
      this.add<WatchLocalTargetsResponse>('prober', endpoints.prober, client, (from) => client.watchLocalTargets({ clientId: endpoints.clientId, ...from }), (r) => {
        if (r.event?.$case === 'snapshot') {
          if (r.event.snapshot.region !== '' && r.event.snapshot.region !== localGeoTag) {
            this.options.logger.warn('the prober serves another region; its hosts are taken as this region\'s', { prober: r.event.snapshot.region, region: localGeoTag });
          }
          engine.applyLocal(localSnapshotFromProto(r.event.snapshot, localGeoTag));
        }
        else if (r.event?.$case === 'delta') engine.applyLocal(localDeltaFromProto(r.event.delta, localGeoTag));
      });
    }
    if (endpoints.peerSync !== undefined) {
      const client = new PeerSyncServiceClient(endpoints.peerSync, endpoints.credentials, CHANNEL_OPTIONS);
      this.add<WatchRemoteTargetsResponse>(
        'peer_sync',
        endpoints.peerSync,
        client,
        (from) => client.watchRemoteTargets({ clientId: endpoints.clientId, ...from }),
        (r) => {
          if (r.event?.$case === 'snapshot') engine.applyRemote(remoteSnapshotFromProto(r.event.snapshot));
          else if (r.event?.$case === 'delta') engine.applyRemote(remoteDeltaFromProto(r.event.delta));
        },
        (state) => engine.setRemoteLink(state === 'synced'),
      );
    }
    if (endpoints.witness !== undefined) {
      const client = new WitnessServiceClient(endpoints.witness, endpoints.credentials, CHANNEL_OPTIONS);
      this.add<WatchVerdictsResponse>(
        'witness',
        endpoints.witness,
        client,
        (from) => client.watchVerdicts({ clientId: endpoints.clientId, ...from }),
        (r) => {
          if (r.event?.$case === 'snapshot') engine.applyVerdicts(verdictsSnapshotFromProto(r.event.snapshot));
          else if (r.event?.$case === 'delta') engine.applyVerdicts(verdictsDeltaFromProto(r.event.delta));
        },
        (state) => engine.setVerdictLink(state === 'synced'),
      );
    }
  }

  stop(): void {
    for (const s of this.subscriptions.splice(0)) {
      s.watch.stop();
      s.close();
    }
  }

  private add<Res extends WatchResponseLike>(
    input: InputName,
    endpoint: string,
    client: { close(): void },
    open: (from: { epoch: string; sinceVersion: number }) => ClientReadableStream<Res>,
    apply: (response: Res) => void,
    onState?: (state: WatchState) => void,
  ): void {
    const logger = this.options.logger.child({ component: `input-${input}`, endpoint });
    const metrics = this.options.metrics;
    metrics?.setInputState(input, 'connecting');
    const watch = new ResumableWatch<Res>({
      open,
      apply,
      heartbeatTimeoutMs: this.options.endpoints.heartbeatTimeoutMs,
      logger,
      onStateChange: (state) => {
        metrics?.setInputState(input, state);
        onState?.(state);
      },
    });
    this.subscriptions.push({ watch, close: () => client.close() });
    watch.start();
  }
}
