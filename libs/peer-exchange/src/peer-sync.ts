import { status as GrpcStatus, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall } from '@grpc/grpc-js';
import type { LocalTargetsReader } from '@meridian/k8gb-interop';
import { Backoff, watchHandler, type ServiceRegistration } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import { PeerKind as ProtoPeerKind, type ListPeersRequest, type ListPeersResponse, type PeerMessage, type PeerStatus } from '@meridian/proto';
import { EdgeDiscovery, type EdgeDiscoveryOptions } from './edge-discovery';
import { peerSyncServiceDefinition } from './exchange-codec';
import { K8gbPeerPoller } from './k8gb-peer-poller';
import type { LocalTargets } from './local-targets';
import { Membership, type MembershipEvent, type PeerRecord } from './membership';
import type { PeerConnector } from './peer-connector';
import { PeerDialer } from './peer-dialer';
import { certificateNames, expectedIdentity } from './peer-identity';
import { serverLink, type PeerLink } from './peer-link';
import { PeerSession, type Refusal, type SessionEnd } from './peer-session';
import { dialsPeer, type PeerSpec } from './peer-spec';
import type { PeerSyncMetrics } from './peer-sync-metrics';
import type { RemoteTargets } from './remote-targets';

export interface PeerSyncOptions {
  /** This region's geotag. */
  region: string;
  /** "meridian/<version>", sent in the hello. */
  software: string;
  /** This region's nameserver names, sent in the hello. */
  nameservers: readonly string[];
  /** Exchange heartbeat interval; a peer silent for three is dead. */
  heartbeatMs: number;
  /** WatchRemoteTargets heartbeat interval. */
  watchHeartbeatMs: number;
  local: LocalTargets;
  remote: RemoteTargets;
  staticPeers: readonly PeerSpec[];
  connector: PeerConnector;
  /** "{region}.peers.example.com": the name a peer's client certificate must carry. Unset: any certificate of the CA. */
  peerIdentity?: string | undefined;
  k8gb: {
    pollMs: number;
    reader: (peer: PeerSpec) => Pick<LocalTargetsReader, 'read'>;
  };
  /** Finding peers at the edge DNS; unset: static peers only. */
  discovery?: Omit<EdgeDiscoveryOptions, 'self' | 'membership' | 'metrics' | 'logger' | 'now'> & { forgetAfterMs: number };
  metrics: PeerSyncMetrics;
  logger: Logger;
  /** Aborted when the server drains: Exchange and Watch streams end with OK. */
  shutdownSignal: AbortSignal;
  now?: () => Date;
  backoff?: () => Backoff;
}

type Worker = { stop(reason?: string): Promise<void> };

/**
 * The peer side of a region: the membership, one Exchange per Meridian peer (dialled by the
 * region whose geotag sorts first, accepted by the other), a poller per k8gb peer, discovery
 * at the edge DNS, and the PeerSyncService handlers (Exchange, WatchRemoteTargets, ListPeers).
 * `create` does no I/O; `start` adds the peers and starts dialling.
 */
export class PeerSync {
  readonly name = 'peer-sync';
  readonly membership: Membership;
  private readonly discovery: EdgeDiscovery | undefined;
  private readonly workers = new Map<string, Worker>();
  /** The established session of each Meridian peer. */
  private readonly sessions = new Map<string, PeerSession>();
  /** Every session still running, established or not. */
  private readonly running = new Set<PeerSession>();
  private readonly now: () => Date;
  private readonly log: Logger;
  private stopped = false;

  private constructor(private readonly options: PeerSyncOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.logger;
    this.membership = new Membership({
      self: options.region,
      staticPeers: options.staticPeers,
      forgetAfterMs: options.discovery?.forgetAfterMs ?? Number.POSITIVE_INFINITY,
      logger: options.logger.child({ component: 'membership' }),
    });
    this.membership.onEvent((event) => this.onMembership(event));
    if (options.discovery) {
      this.discovery = new EdgeDiscovery({
        ...options.discovery,
        self: options.region,
        membership: this.membership,
        metrics: options.metrics,
        logger: options.logger.child({ component: 'edge-discovery' }),
        now: this.now,
      });
    }
    options.metrics.observePeers(() =>
      this.membership.list().map((peer) => {
        const view = options.remote.view(peer.spec.region);
        return {
          region: peer.spec.region,
          kind: peer.spec.kind,
          connected: view?.connected ?? false,
          missing: peer.missingSince !== undefined,
          lastContact: view?.lastContact,
          hosts: view?.hosts ?? 0,
        };
      }),
    );
    options.local.onChange(() => options.metrics.localHosts.set(options.local.size));
  }

  static create(options: PeerSyncOptions): PeerSync {
    return new PeerSync(options);
  }

  /** The PeerSyncService registration for the gRPC server. */
  service(): ServiceRegistration {
    const { remote, watchHeartbeatMs, shutdownSignal, logger } = this.options;
    return {
      definition: peerSyncServiceDefinition,
      implementation: {
        exchange: (call: ServerDuplexStream<Buffer, Buffer>) => this.accept(call),
        watchRemoteTargets: watchHandler(remote.stream, { heartbeatMs: watchHeartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-remote-targets' }) }),
        listPeers: (_call: ServerUnaryCall<ListPeersRequest, ListPeersResponse>, callback: sendUnaryData<ListPeersResponse>) => callback(null, this.listPeers()),
      },
    };
  }

  start(): void {
    this.membership.start();
    this.discovery?.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.discovery?.stop();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop('peer-sync is stopping')));
    this.workers.clear();
    for (const session of this.running) session.close('peer-sync is stopping');
  }

  listPeers(): ListPeersResponse {
    return { peers: this.membership.list().map((peer) => this.peerStatus(peer)) };
  }

  private peerStatus(peer: PeerRecord): PeerStatus {
    const { spec } = peer;
    const view = this.options.remote.view(spec.region);
    const connected = view?.connected ?? false;
    const problems: string[] = [];
    if (peer.missingSince) problems.push(`no longer listed at the edge DNS since ${peer.missingSince.toISOString()}`);
    if (!connected && peer.lastError) problems.push(peer.lastError);
    return {
      region: spec.region,
      address: spec.address ?? spec.nameservers.join(','),
      kind: spec.kind === 'k8gb' ? ProtoPeerKind.PEER_KIND_K8GB : ProtoPeerKind.PEER_KIND_MERIDIAN,
      connected,
      lastContact: view?.lastContact,
      lastError: problems.join('; '),
      discoveredBy: spec.source,
      hosts: view?.hosts ?? 0,
    };
  }

  private onMembership(event: MembershipEvent): void {
    const region = event.peer.spec.region;
    switch (event.type) {
      case 'added':
        this.options.remote.addRegion(region);
        this.startWorker(event.peer);
        return;
      case 'changed':
        void this.stopWorker(region, 'the peer changed').then(() => this.startWorker(event.peer));
        return;
      case 'removed':
        void this.stopWorker(region, 'the peer left the membership').then(() => {
          this.sessions.get(region)?.close('the peer left the membership');
          this.options.remote.removeRegion(region);
        });
        return;
      case 'missing':
      case 'found-again':
        return;
    }
  }

  private startWorker(peer: PeerRecord): void {
    if (this.stopped) return;
    const { spec } = peer;
    const { region } = this.options;
    if (spec.kind === 'k8gb') {
      const poller = new K8gbPeerPoller({
        peer: spec,
        reader: this.options.k8gb.reader(spec),
        local: this.options.local,
        remote: this.options.remote,
        pollMs: this.options.k8gb.pollMs,
        metrics: this.options.metrics,
        logger: this.log.child({ component: 'k8gb-peer', peer: spec.region }),
        now: this.now,
        onStatus: (_connected, error) => this.membership.setError(spec.region, error),
      });
      poller.start();
      this.workers.set(spec.region, poller);
      return;
    }
    if (!dialsPeer(region, spec.region)) {
      this.membership.setError(spec.region, `waiting for ${spec.region} to dial (the region whose geotag sorts first dials)`);
      return;
    }
    const dialer = new PeerDialer({
      peer: spec,
      connector: this.options.connector,
      session: (link) => this.newSession('dialer', link, spec.region),
      logger: this.log.child({ component: 'peer-dialer', peer: spec.region }),
      ...(this.options.backoff ? { backoff: this.options.backoff() } : {}),
    });
    dialer.start();
    this.workers.set(spec.region, dialer);
  }

  private async stopWorker(region: string, reason: string): Promise<void> {
    const worker = this.workers.get(region);
    this.workers.delete(region);
    await worker?.stop(reason);
  }

  /** An inbound Exchange. */
  private accept(call: ServerDuplexStream<Buffer, Buffer>): void {
    const { shutdownSignal } = this.options;
    const link = serverLink(call);
    if (shutdownSignal.aborted || this.stopped) {
      link.fail(GrpcStatus.UNAVAILABLE, 'peer-sync is shutting down');
      return;
    }
    const session = this.newSession('acceptor', link, undefined);
    const onDrain = () => session.close('the server is draining');
    shutdownSignal.addEventListener('abort', onDrain, { once: true });
    void session.run().then(() => shutdownSignal.removeEventListener('abort', onDrain));
  }

  private newSession(role: 'dialer' | 'acceptor', link: PeerLink, expectedPeer: string | undefined): PeerSession {
    const { options } = this;
    const session = new PeerSession({
      role,
      self: options.region,
      ...(expectedPeer ? { expectedPeer } : {}),
      link,
      local: options.local,
      remote: options.remote,
      heartbeatMs: options.heartbeatMs,
      nameservers: options.nameservers,
      software: options.software,
      ...(role === 'acceptor' ? { admit: (hello: PeerMessage) => this.admit(hello, link) } : {}),
      onEstablished: (established) => this.established(established),
      metrics: options.metrics,
      logger: this.log.child({ component: 'exchange' }),
      now: this.now,
    });
    this.running.add(session);
    void session.ended.then((end) => this.ended(session, end));
    return session;
  }

  /** Who may open an Exchange here: a known Meridian peer that should dial us, with the right certificate. */
  private admit(hello: PeerMessage, link: PeerLink): Refusal | undefined {
    const self = this.options.region;
    const region = hello.region;
    if (!region) return { code: GrpcStatus.INVALID_ARGUMENT, details: 'the hello names no region' };
    if (region === self) {
      return { code: GrpcStatus.INVALID_ARGUMENT, details: `the peer says it is region "${region}", which is this region: two regions share a geotag, or a region dials itself` };
    }
    const peer = this.membership.get(region);
    if (!peer) {
      return {
        code: GrpcStatus.FAILED_PRECONDITION,
        details: `region "${region}" is not a peer of "${self}": add it to peering.peers there, or publish its NS record at the edge DNS`,
      };
    }
    if (peer.spec.kind !== 'meridian') return { code: GrpcStatus.FAILED_PRECONDITION, details: `region "${region}" is a k8gb peer of "${self}", read over DNS` };
    if (dialsPeer(self, region)) {
      return { code: GrpcStatus.FAILED_PRECONDITION, details: `"${self}" dials "${region}", not the other way round: the region whose geotag sorts first dials` };
    }
    if (this.options.peerIdentity !== undefined) {
      const expected = expectedIdentity(this.options.peerIdentity, region);
      const names = certificateNames(link.peerCertificate());
      if (!names.includes(expected)) {
        return {
          code: GrpcStatus.PERMISSION_DENIED,
          details: `region "${region}" must present a certificate for ${expected}; this one is for ${names.join(', ') || 'no name'}`,
        };
      }
    }
    return undefined;
  }

  private established(session: PeerSession): void {
    const region = session.region as string;
    const previous = this.sessions.get(region);
    this.sessions.set(region, session);
    if (previous && previous !== session) previous.close('replaced by a newer connection of the same region');
    this.membership.setError(region, '');
  }

  private ended(session: PeerSession, end: SessionEnd): void {
    this.running.delete(session);
    if (!end.region || this.sessions.get(end.region) !== session) {
      if (end.region && !end.established && this.membership.get(end.region)) this.membership.setError(end.region, end.reason);
      return;
    }
    this.sessions.delete(end.region);
    this.options.remote.setConnected(end.region, false);
    this.membership.setError(end.region, end.reason);
  }
}
