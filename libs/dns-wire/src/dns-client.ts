import type { DnsMessage } from './resource-record';
import type { QueryEdnsOptions } from './query-builder';

export interface DnsClientQuery {
  name: string;
  /** A type code (RRType.A); see rrTypeCode for mnemonics. */
  type: number;
  class?: number;
  /** 'udp' (the default) retries over TCP when the reply is truncated; 'tcp' asks over TCP only. */
  transport?: 'udp' | 'tcp';
  edns?: QueryEdnsOptions;
  recursionDesired?: boolean;
  timeoutMs?: number;
}

/**
 * What Meridian needs from a DNS client: one question to one server, the whole reply
 * decoded. The server (tests), peer-sync (edge delegation checks) and witness (heartbeats
 * through resolvers) depend on this interface, not on a library.
 */
export interface DnsClient {
  query(query: DnsClientQuery): Promise<DnsMessage>;
  close(): void;
}

/** The server did not answer in time, or the transport failed. */
export class DnsClientError extends Error {
  override readonly name = 'DnsClientError';
  constructor(
    message: string,
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(`${server}: ${message}`, options);
  }
}
