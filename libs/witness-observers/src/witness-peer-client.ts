import { Metadata, status as GrpcStatus, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { clientChannelOptions } from '@meridian/grpc-kit';
import { WitnessServiceClient } from '@meridian/proto';
import type { Observation } from '@meridian/witness-quorum';
import { observationFromProto } from './observation-proto';

/** The one call a witness makes to a peer: what do you see of these regions? */
export interface WitnessPeerClient {
  observe(request: { observerRegion: string; regions: readonly string[] }, timeoutMs: number): Promise<Observation[]>;
  close(): void;
}

/** A peer witness could not be asked. */
export class PeerCallError extends Error {
  override readonly name = 'PeerCallError';
  constructor(
    readonly peer: string,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${peer}: ${code}: ${message}`, options);
  }
}

export interface GrpcWitnessPeerClientOptions {
  /** `host:port` of the peer's witness gRPC server. */
  readonly address: string;
  readonly credentials: ChannelCredentials;
  /** Overrides the TLS server name checked against the peer's certificate. */
  readonly serverName?: string;
}

/** {@link WitnessPeerClient} over gRPC (`meridian.v1.WitnessService/Observe`), one channel per peer. */
export class GrpcWitnessPeerClient implements WitnessPeerClient {
  private readonly client: WitnessServiceClient;

  constructor(private readonly options: GrpcWitnessPeerClientOptions) {
    const channelOptions = clientChannelOptions(options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {});
    this.client = new WitnessServiceClient(options.address, options.credentials, channelOptions);
  }

  observe(request: { observerRegion: string; regions: readonly string[] }, timeoutMs: number): Promise<Observation[]> {
    return new Promise((resolve, reject) => {
      this.client.observe(
        { observerRegion: request.observerRegion, regions: [...request.regions] },
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err: ServiceError | null, response) => {
          if (err) reject(new PeerCallError(this.options.address, GrpcStatus[err.code] ?? String(err.code), err.details || err.message, { cause: err }));
          else resolve(response.observations.map(observationFromProto));
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
