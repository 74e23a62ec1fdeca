import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from '@meridian/logging';
import type { HostHealth, PeerHello, PeerMessage, PeerTargetsDelta, PeerTargetsSnapshot } from '@meridian/proto';
import type { StreamEvent } from '@meridian/streams';
import { decodePeerMessage, encodePeerMessage } from './exchange-codec';
import type { LocalTargets } from './local-targets';
import type { PeerLink } from './peer-link';
import type { PeerSyncMetrics } from './peer-sync-metrics';
import type { RemoteTargets } from './remote-targets';

/** Why an acceptor turns a peer away. */
export interface Refusal {
  code: GrpcStatus;
  details: string;
}

export interface SessionEnd {
  region: string | undefined;
  /** Both hellos crossed: the peer was connected for a while. */
  established: boolean;
  reason: string;
}

export interface PeerSessionOptions {
  role: 'dialer' | 'acceptor';
  /** This region's geotag. */
  self: string;
  /** The region a dialer called; an acceptor learns the region from the hello. */
  expectedPeer?: string;
  link: PeerLink;
  local: LocalTargets;
  remote: RemoteTargets;
  /** How often an idle session sends a heartbeat; the peer is dead after three silent intervals. */
  heartbeatMs: number;
  /** This region's nameserver names, announced in the hello. */
  nameservers: readonly string[];
  /** "meridian/<version>". */
  software: string;
  /** Acceptor only: checks the peer's hello; a refusal ends the stream with its status. */
  admit?: (hello: PeerMessage) => Refusal | undefined;
  /** Called when the session is established, before any data is applied. */
  onEstablished?: (session: PeerSession) => void;
  metrics: PeerSyncMetrics;
  logger: Logger;
  now?: () => Date;
}

/**
 * One Exchange between this region and a peer, the same on both ends (ADR peer-sync-0001):
 *
 * 1. Each side sends a hello saying which epoch and version of the other side it last
 *    applied (the dialer first; the acceptor once it admitted the dialer).
 * 2. Each side then streams its local targets from there: the missed deltas when it still
 *    holds them, else a snapshot, then one delta per change, heartbeats when idle. Until the
 *    local prober's first snapshot it sends only heartbeats, never an empty snapshot.
 * 3. Received deltas must follow the last applied version exactly; anything else ends the
 *    session and forgets the position, so the next session starts from a snapshot.
 * 4. Three heartbeat intervals of silence end the session.
 *
 * A session never retries; the dialer that owns it does.
 */
export class PeerSession {
  private peerRegion: string | undefined;
  private peerHello: PeerHello | undefined;
  private established = false;
  private closed = false;
  private closeReason = '';
  private closedByOwner = false;
  private peerIntervalMs = 0;
  private silenceTimer: NodeJS.Timeout | undefined;
  private helloSent: Promise<void> = Promise.resolve();
  private readonly endedPromise: Promise<SessionEnd>;
  private started = false;
  private resolveEnded!: (end: SessionEnd) => void;
  private readonly closedSignal: Promise<'closed'>;
  private resolveClosed!: (value: 'closed') => void;
  private readonly now: () => Date;
  private log: Logger;

  constructor(private readonly options: PeerSessionOptions) {
    this.now = options.now ?? (() => new Date());
    this.peerRegion = options.expectedPeer;
    this.log = options.logger.child({ peer: options.expectedPeer ?? 'unknown', role: options.role, address: options.link.remoteAddress });
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
    this.closedSignal = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get region(): string | undefined {
    return this.peerRegion;
  }

  get isEstablished(): boolean {
    return this.established;
  }

  /** Resolves when the session is over, with why. */
  get ended(): Promise<SessionEnd> {
    return this.endedPromise;
  }

  /** Runs the session until the link ends; resolves with why. Never rejects. */
  run(): Promise<SessionEnd> {
    if (this.started) return this.endedPromise;
    this.started = true;
    const { link } = this.options;
    link.onData((frame) => this.receive(frame));
    link.onClose((reason) => this.finish(reason));
    this.armSilence();
    if (this.options.role === 'dialer') this.helloSent = this.sendHello();
    return this.endedPromise;
  }

  /** Ends the session cleanly (the server drains, a newer connection replaced it, the peer left). */
  close(reason: string): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.closedByOwner = true;
    this.options.link.end();
  }

  private receive(frame: Buffer): void {
    if (this.closed) return;
    const { link, remote, metrics } = this.options;
    let message: PeerMessage;
    try {
      message = decodePeerMessage(frame, link.writes === 'response' ? 'request' : 'response');
    } catch (err) {
      this.fail(GrpcStatus.INVALID_ARGUMENT, `a message that does not decode: ${(err as Error).message}`);
      return;
    }
    const kind = message.body?.$case ?? 'empty';
    if (!this.peerHello) {
      this.receiveHello(message, frame.length);
      return;
    }
    const region = this.peerRegion as string;
    metrics.message(region, 'received', kind, frame.length);
    if (message.region !== region) {
      this.fail(GrpcStatus.INVALID_ARGUMENT, `a message from region "${message.region}" on the session of region "${region}"`);
      return;
    }
    this.armSilence();
    const at = this.now();
    try {
      switch (message.body?.$case) {
        case 'snapshot':
          remote.replaceHosts(region, message.body.snapshot.hosts, at, { epoch: message.epoch, version: message.version });
          break;
        case 'delta': {
          const position = remote.position(region);
          if (message.epoch !== position.epoch || message.version !== position.version + 1) {
            remote.resetPosition(region);
            this.fail(GrpcStatus.ABORTED, `delta ${message.epoch}@${message.version} does not follow ${position.epoch || 'nothing'}@${position.version}; the next session starts from a snapshot`);
            return;
          }
          const { upserted, removedHosts } = message.body.delta;
          remote.applyChanges(region, upserted, removedHosts, at, { epoch: message.epoch, version: message.version });
          this.observeLatency(region, upserted, at);
          break;
        }
        case 'heartbeat':
          this.peerIntervalMs = message.body.heartbeat.intervalMs;
          remote.contact(region, at);
          break;
        case 'hello':
          this.fail(GrpcStatus.INVALID_ARGUMENT, 'a second hello on one session');
          return;
        default:
          this.fail(GrpcStatus.INVALID_ARGUMENT, 'a message without a body');
      }
    } catch (err) {
      remote.resetPosition(region);
      this.fail(GrpcStatus.INTERNAL, `could not apply ${kind} ${message.epoch}@${message.version}: ${(err as Error).message}`);
    }
  }

  private receiveHello(message: PeerMessage, bytes: number): void {
    const { role, remote, metrics } = this.options;
    if (message.body?.$case !== 'hello') {
      this.fail(GrpcStatus.FAILED_PRECONDITION, `the first message must be a hello, not ${message.body?.$case ?? 'an empty one'}`);
      return;
    }
    if (role === 'dialer' && message.region !== this.options.expectedPeer) {
      this.fail(GrpcStatus.FAILED_PRECONDITION, `dialled region "${this.options.expectedPeer}" but "${message.region}" answered: check the peer's address`);
      return;
    }
    if (role === 'acceptor') {
      const refusal = this.options.admit?.(message);
      if (refusal) {
        this.log.warn('peer refused', { claimed: message.region, reason: refusal.details });
        // The claimed region is not trusted, so it is not a label.
        metrics.sessions.inc({ peer: 'unknown', role, outcome: 'refused' });
        this.fail(refusal.code, refusal.details);
        return;
      }
    }
    this.peerRegion = message.region;
    this.peerHello = message.body.hello;
    this.log = this.options.logger.child({ peer: message.region, role, address: this.options.link.remoteAddress });
    metrics.message(message.region, 'received', 'hello', bytes);
    this.established = true;
    this.armSilence();
    this.options.onEstablished?.(this);
    metrics.sessions.inc({ peer: message.region, role, outcome: 'established' });
    remote.setConnected(message.region, true, this.now());
    if (role === 'acceptor') this.helloSent = this.sendHello();
    this.log.info('peer connected', {
      software: this.peerHello.software,
      nameservers: this.peerHello.nameservers,
      resumeFrom: `${this.peerHello.resumeEpoch || 'nothing'}@${this.peerHello.resumeVersion}`,
    });
    void this.streamLocalTargets();
  }

  private async sendHello(): Promise<void> {
    const position = this.peerRegion ? this.options.remote.position(this.peerRegion) : { epoch: '', version: 0 };
    const { stream } = this.options.local;
    await this.send({
      region: this.options.self,
      epoch: stream.epoch,
      version: stream.version,
      body: {
        $case: 'hello',
        hello: { resumeEpoch: position.epoch, resumeVersion: position.version, nameservers: [...this.options.nameservers], software: this.options.software },
      },
    });
  }

  /** The sending half: where the peer resumes from, then every change, heartbeats when idle. */
  private async streamLocalTargets(): Promise<void> {
    const { local, heartbeatMs } = this.options;
    const hello = this.peerHello as PeerHello;
    try {
      await this.helloSent;
      while (!this.closed && !local.isSynced) {
        const woke = await this.wait(local.whenSynced().then(() => 'synced' as const), heartbeatMs);
        if (woke === 'timeout') await this.sendHeartbeat(0);
      }
      const { stream } = local;
      let cursor = stream.resumeCursor({ epoch: hello.resumeEpoch, version: hello.resumeVersion });
      if (cursor !== undefined) this.log.info('resuming the peer with deltas', { from: cursor, to: stream.version });
      if (cursor !== undefined && cursor === stream.version) await this.sendHeartbeat(cursor);
      while (!this.closed) {
        const event = stream.next(cursor);
        if (event) {
          cursor = event.version;
          await this.send(this.toMessage(event));
          continue;
        }
        const woke = await this.wait(stream.changed().then(() => 'changed' as const), heartbeatMs);
        if (woke === 'timeout') await this.sendHeartbeat(cursor as number);
      }
    } catch (err) {
      this.fail(GrpcStatus.INTERNAL, `sending failed: ${(err as Error).message}`);
    }
  }

  private toMessage(event: StreamEvent<PeerTargetsSnapshot, PeerTargetsDelta>): PeerMessage {
    const base = { region: this.options.self, epoch: event.epoch, version: event.version };
    if (event.kind === 'snapshot') return { ...base, body: { $case: 'snapshot', snapshot: event.snapshot } };
    if (event.kind === 'delta') return { ...base, body: { $case: 'delta', delta: event.delta } };
    return { ...base, body: { $case: 'heartbeat', heartbeat: { intervalMs: this.options.heartbeatMs, sentAt: this.now() } } };
  }

  private sendHeartbeat(version: number): Promise<void> {
    return this.send({
      region: this.options.self,
      epoch: this.options.local.stream.epoch,
      version,
      body: { $case: 'heartbeat', heartbeat: { intervalMs: this.options.heartbeatMs, sentAt: this.now() } },
    });
  }

  private async send(message: PeerMessage): Promise<void> {
    if (this.closed) return;
    const { link, metrics } = this.options;
    const frame = encodePeerMessage(message, link.writes);
    metrics.message(this.peerRegion ?? 'unknown', 'sent', message.body?.$case ?? 'empty', frame.length);
    await link.write(frame);
  }

  private async wait<T extends string>(event: Promise<T>, timeoutMs: number): Promise<T | 'timeout' | 'closed'> {
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([event, this.closedSignal, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    return result;
  }

  private observeLatency(region: string, upserted: readonly HostHealth[], at: Date): void {
    for (const host of upserted) {
      if (host.observedAt) this.options.metrics.updateLatency.observe({ peer: region }, Math.max(0, at.getTime() - host.observedAt.getTime()) / 1000);
    }
  }

  private armSilence(): void {
    clearTimeout(this.silenceTimer);
    const timeoutMs = 3 * Math.max(this.options.heartbeatMs, this.peerIntervalMs);
    this.silenceTimer = setTimeout(() => this.fail(GrpcStatus.UNAVAILABLE, `no message for ${timeoutMs} ms: the peer or the link is down`), timeoutMs);
  }

  private fail(code: GrpcStatus, details: string): void {
    if (this.closed) return;
    this.closeReason = details;
    this.options.link.fail(code, details);
  }

  private finish(linkReason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.silenceTimer);
    this.resolveClosed('closed');
    const reason = this.closeReason || linkReason;
    if (!this.established && this.options.role === 'dialer') {
      this.options.metrics.sessions.inc({ peer: this.peerRegion ?? 'unknown', role: 'dialer', outcome: 'failed' });
    }
    if (this.established && this.closedByOwner) this.log.info('peer session closed', { reason });
    else if (this.established) this.log.warn('peer disconnected', { reason });
    else this.log.info('session ended before the hello', { reason });
    this.resolveEnded({ region: this.peerRegion, established: this.established, reason });
  }
}
