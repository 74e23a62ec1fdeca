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

/**
 * Server settings that accept the clients' keepalive pings (grpc-js would otherwise answer
 * frequent pings with GOAWAY "too_many_pings").
 */
export function serverChannelOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    ...overrides,
  };
}
