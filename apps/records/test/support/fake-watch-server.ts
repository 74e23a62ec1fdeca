import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { watchHandler } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import {
  PeerSyncServiceService,
  ProberServiceService,
  WitnessServiceService,
  type LocalTargetsDelta,
  type LocalTargetsSnapshot,
  type RemoteTargetsDelta,
  type RemoteTargetsSnapshot,
  type VerdictsDelta,
  type VerdictsSnapshot,
} from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';

/**
 * A real gRPC server that serves one Watch stream from a VersionedStream, built from the
 * gRPC kit's watchHandler: what the prober, peer-sync and witness serve, with the state in
 * the test's hands.
 */
export class FakeWatchServer<S, D> {
  readonly stream: VersionedStream<S, D>;
  private server: Server | undefined;
  private readonly shutdown = new AbortController();
  port = 0;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly method: string,
    private state: S,
    private readonly heartbeatMs = 200,
  ) {
    this.stream = new VersionedStream<S, D>({ snapshot: () => this.state, initialVersion: 100 });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Replaces the state and publishes the delta that leads to it. */
  publish(state: S, delta: D): number {
    this.state = state;
    return this.stream.publish(delta);
  }

  async start(port = 0): Promise<this> {
    const server = new Server();
    const handler = watchHandler(this.stream, { heartbeatMs: this.heartbeatMs, shutdownSignal: this.shutdown.signal, logger: nullLogger });
    server.addService(this.definition, { [this.method]: handler } as UntypedServiceImplementation);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    const server = this.server;
    this.server = undefined;
    if (server) server.forceShutdown();
  }
}

export function fakeProber(snapshot: LocalTargetsSnapshot): FakeWatchServer<LocalTargetsSnapshot, LocalTargetsDelta> {
  return new FakeWatchServer(ProberServiceService, 'watchLocalTargets', snapshot);
}

export function fakePeerSync(snapshot: RemoteTargetsSnapshot): FakeWatchServer<RemoteTargetsSnapshot, RemoteTargetsDelta> {
  return new FakeWatchServer(PeerSyncServiceService, 'watchRemoteTargets', snapshot);
}

export function fakeWitness(snapshot: VerdictsSnapshot): FakeWatchServer<VerdictsSnapshot, VerdictsDelta> {
  return new FakeWatchServer(WitnessServiceService, 'watchVerdicts', snapshot);
}
