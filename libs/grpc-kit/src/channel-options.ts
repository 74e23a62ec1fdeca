import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * Client channel settings shared by every Meridian client: keepalive pings so a dead peer is
 * noticed within seconds, and a capped reconnect backoff.
 */
export function clientChannelOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 5_000,
    ...overrides,
  };
}

/** The largest request message a server accepts; a bigger one ends its call with RESOURCE_EXHAUSTED. */
export const SERVER_MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Concurrent calls (HTTP/2 streams) per client connection; more wait for a free slot (SETTINGS_MAX_CONCURRENT_STREAMS). */
export const SERVER_MAX_CONCURRENT_STREAMS = 256;

/**
 * Server settings: accept the clients' keepalive pings (grpc-js would otherwise answer
 * frequent pings with GOAWAY "too_many_pings"), and bound what one client can make the server
 * hold: the size of a request message, the calls open at once on one connection (issue #11).
 * Every Meridian request is far below 4 MiB. Node's HTTP/2 session-memory cap stays off, as
 * grpc-js leaves it: a zone snapshot sent to a slow reader would trip it and reset the stream.
 */
export function serverChannelOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': SERVER_MAX_RECEIVE_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': SERVER_MAX_CONCURRENT_STREAMS,
    ...overrides,
  };
}
