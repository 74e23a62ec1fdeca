import { status as GrpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { SubscriptionState, type DnsServiceServer, type GetServingStatusRequest, type GetServingStatusResponse } from '@meridian/proto';
import type { SourceState, ZoneFeed } from './zone-feed';

const STATE: Record<SourceState, SubscriptionState> = {
  none: SubscriptionState.SUBSCRIPTION_STATE_UNSPECIFIED,
  file: SubscriptionState.SUBSCRIPTION_STATE_FILE,
  connecting: SubscriptionState.SUBSCRIPTION_STATE_CONNECTING,
  synced: SubscriptionState.SUBSCRIPTION_STATE_SYNCED,
  disconnected: SubscriptionState.SUBSCRIPTION_STATE_DISCONNECTED,
};

/** The protobuf view of what this server serves (converted here, at the edge). */
export function servingStatus(feed: ZoneFeed, workers: number): GetServingStatusResponse {
  const confirmed = feed.confirmedAtMs;
  return {
    epoch: feed.epoch,
    zoneVersion: feed.version,
    subscription: STATE[feed.sourceState],
    source: feed.sourceName,
    dataConfirmedAt: confirmed === undefined ? undefined : new Date(confirmed),
    zones: [...feed.state.zones.keys()].sort(),
    workers,
  };
}

/** meridian.v1.DnsService. */
export function dnsServiceImplementation(feed: ZoneFeed, workers: () => number): DnsServiceServer {
  return {
    getServingStatus: (_call: ServerUnaryCall<GetServingStatusRequest, GetServingStatusResponse>, callback: sendUnaryData<GetServingStatusResponse>) => {
      try {
        callback(null, servingStatus(feed, workers()));
      } catch (err) {
        callback({ code: GrpcStatus.INTERNAL, details: `cannot report the serving status: ${(err as Error).message}` });
      }
    },
  };
}
