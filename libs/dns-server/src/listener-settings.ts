/** How the DNS listeners of one process bind and protect themselves. */
export interface ListenerSettings {
  host: string;
  /** UDP and TCP share it; 0 picks a free UDP port and binds TCP to the same number. */
  port: number;
  udp: {
    /** SO_RCVBUF / SO_SNDBUF; 0 keeps the kernel default. Bigger buffers absorb bursts. */
    receiveBufferBytes: number;
    sendBufferBytes: number;
  };
  tcp: {
    /** A connection with no traffic for this long is closed (RFC 7766 §6.2.3). */
    idleTimeoutMs: number;
    /** Connections beyond this (per process) are closed at once. */
    maxConnections: number;
    /** Queries read but not yet answered and flushed; beyond it the connection stops reading. */
    maxInFlightPerConnection: number;
  };
}
