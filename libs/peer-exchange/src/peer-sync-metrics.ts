import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type MessageDirection = 'sent' | 'received';

/** A peer's gauges, read at scrape time. */
export interface PeerGaugeView {
  region: string;
  kind: string;
  connected: boolean;
  missing: boolean;
  lastContact: Date | undefined;
  hosts: number;
}

/**
 * peer-sync's metrics (`meridian_peer_sync_*`), registered on the process's own registry.
 * Gauges about peers are computed at scrape time from `peers()`, so they never go stale.
 */
export class PeerSyncMetrics {
  readonly messages: Counter<'peer' | 'direction' | 'kind'>;
  readonly bytes: Counter<'peer' | 'direction'>;
  readonly updateLatency: Histogram<'peer'>;
  readonly sessions: Counter<'peer' | 'role' | 'outcome'>;
  readonly edgeUpdates: Counter<'zone' | 'result'>;
  readonly discoveries: Counter<'result'>;
  readonly k8gbQueries: Counter<'peer' | 'result'>;
  readonly localHosts: Gauge;
  private peers: () => PeerGaugeView[] = () => [];

  constructor(registry: Registry, private readonly now: () => Date = () => new Date()) {
    const registers = [registry];
    this.messages = new Counter({
      name: 'meridian_peer_sync_exchange_messages_total',
      help: 'Exchange messages sent to and received from peers, by kind (hello, snapshot, delta, heartbeat).',
      labelNames: ['peer', 'direction', 'kind'],
      registers,
    });
    this.bytes = new Counter({
      name: 'meridian_peer_sync_exchange_bytes_total',
      help: 'Bytes of Exchange messages sent to and received from peers (protobuf payload, without gRPC framing).',
      labelNames: ['peer', 'direction'],
      registers,
    });
    this.updateLatency = new Histogram({
      name: 'meridian_peer_sync_update_latency_seconds',
      help: "Time from a host's observedAt in its own region to its delta being applied here; includes the clock difference between regions.",
      labelNames: ['peer'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.sessions = new Counter({
      name: 'meridian_peer_sync_exchange_sessions_total',
      help: 'Exchange sessions by outcome: established, refused by this side (peer unknown), or failed before the hellos crossed (dialler).',
      labelNames: ['peer', 'role', 'outcome'],
      registers,
    });
    this.edgeUpdates = new Counter({
      name: 'meridian_peer_sync_edge_updates_total',
      help: 'Rounds of publishing the NS record and glue at the edge DNS, by result: applied, unchanged, refused or failed.',
      labelNames: ['zone', 'result'],
      registers,
    });
    this.discoveries = new Counter({
      name: 'meridian_peer_sync_discovery_runs_total',
      help: 'Reads of the edge DNS NS and glue records to find peers, by result: ok or failed.',
      labelNames: ['result'],
      registers,
    });
    this.k8gbQueries = new Counter({
      name: 'meridian_peer_sync_k8gb_queries_total',
      help: 'localtargets-<host> lookups on k8gb peers, by result: answered or unreachable.',
      labelNames: ['peer', 'result'],
      registers,
    });
    this.localHosts = new Gauge({ name: 'meridian_peer_sync_local_hosts', help: 'Hosts of this region sent to peers (from the local prober).', registers });

    // collect() runs with the gauge as `this`; these read the peers at scrape time.
    const peers = () => this.peers();
    const clock = () => this.now();
    new Gauge({
      name: 'meridian_peer_sync_peers',
      help: 'Peers in the membership, by kind and state: connected, disconnected, or missing (no longer listed at the edge DNS).',
      labelNames: ['kind', 'state'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) {
          const state = peer.missing ? 'missing' : peer.connected ? 'connected' : 'disconnected';
          this.inc({ kind: peer.kind, state });
        }
      },
    });
    new Gauge({
      name: 'meridian_peer_sync_peers_connected',
      help: 'Peers currently connected: an established Exchange, or a k8gb peer whose nameservers answer.',
      registers,
      collect() {
        this.set(peers().filter((p) => p.connected).length);
      },
    });
    new Gauge({
      name: 'meridian_peer_sync_peer_up',
      help: '1 while the peer is connected, else 0.',
      labelNames: ['peer', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) this.set({ peer: peer.region, kind: peer.kind }, peer.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'meridian_peer_sync_peer_last_contact_age_seconds',
      help: 'Seconds since anything (heartbeats included) was last received from the peer; absent until the first contact.',
      labelNames: ['peer'],
      registers,
      collect() {
        this.reset();
        const at = clock().getTime();
        for (const peer of peers()) {
          if (peer.lastContact) this.set({ peer: peer.region }, Math.max(0, (at - peer.lastContact.getTime()) / 1000));
        }
      },
    });
    new Gauge({
      name: 'meridian_peer_sync_remote_hosts',
      help: 'Hosts last received from each peer region.',
      labelNames: ['peer'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) this.set({ peer: peer.region }, peer.hosts);
      },
    });
  }

  /** Where the peer gauges read from at scrape time. */
  observePeers(peers: () => PeerGaugeView[]): void {
    this.peers = peers;
  }

  message(peer: string, direction: MessageDirection, kind: string, bytes: number): void {
    this.messages.inc({ peer, direction, kind });
    this.bytes.inc({ peer, direction }, bytes);
  }
}
