import { Server, ServerCredentials, type ChannelOptions, type ServiceDefinition, type UntypedHandleCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@meridian/logging';
import type { Registry } from 'prom-client';
import { callLoggingObserver } from './call-logging';
import { serverChannelOptions } from './channel-options';
import { CallTracker } from './call-tracker';
import { GrpcServerError } from './errors';
import { HEALTH_SERVICE_NAME, HealthService, LIVENESS_SERVICE_NAME } from './health-service';
import { observeCalls } from './observe-call';
import { addReflection } from './reflection';
import { serverMetricsObserver } from './server-metrics';
import { serverCredentials, type LoadedTls } from './tls-credentials';

/** A service to serve: its generated definition and its handlers (missing ones are UNIMPLEMENTED). */
export interface ServiceRegistration {
  definition: ServiceDefinition;
  implementation: { [method: string]: UntypedHandleCall | undefined };
}

export interface GrpcServerOptions {
  host: string;
  port: number;
  /**
   * A second, plaintext listener on `host` serving only the health service (the same
   * statuses), for the kubelet's gRPC probe when `port` requires mTLS. Absent: none.
   */
  healthPort?: number;
  tls?: LoadedTls;
  logger: Logger;
  registry: Registry;
  /** Serialized FileDescriptorSet describing `services`, for reflection. */
  descriptorSet: Buffer;
  services: ServiceRegistration[];
  channelOptions?: ChannelOptions;
  /** Aborted when the drain starts; handlers of long-lived streams watch its signal. */
  shutdownController?: AbortController;
}

export interface DrainReport {
  /** Every call finished within the grace period. */
  graceful: boolean;
  durationMs: number;
  /** Calls still running when the grace period ran out, cancelled by the forced shutdown. */
  cancelledCalls: number;
}

/** Binds `server` at host:port (IPv6 in brackets) and resolves with the bound port. */
function bind(server: Server, host: string, port: number, credentials: ServerCredentials): Promise<number> {
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise<number>((resolve, reject) => {
    server.bindAsync(address, credentials, (err, bound) => {
      if (err) reject(new GrpcServerError(`cannot listen on ${address}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });
}

/** The full name of a generated service, from its first method's path. */
export function serviceName(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new GrpcServerError('a service definition has no methods');
  return first.path.split('/')[1] as string;
}

/**
 * A gRPC server with what every Meridian service needs: the standard health service,
 * reflection (v1 and v1alpha), metrics and logging interceptors, optional TLS/mTLS, and a
 * drain that turns health NOT_SERVING, asks streams to finish, waits for in-flight calls up
 * to a grace period, then stops.
 */
export class GrpcServer {
  readonly health: HealthService;
  private readonly server: Server;
  private readonly healthServer: Server | undefined;
  private readonly tracker = new CallTracker();
  private readonly shutdownController: AbortController;
  private draining: Promise<DrainReport> | undefined;
  private boundPort: number | undefined;
  private boundHealthPort: number | undefined;

  private constructor(private readonly options: GrpcServerOptions) {
    this.shutdownController = options.shutdownController ?? new AbortController();
    this.server = new Server({
      ...serverChannelOptions(options.channelOptions),
      interceptors: [
        observeCalls(this.tracker.observer),
        observeCalls(serverMetricsObserver(options.registry)),
        observeCalls(callLoggingObserver(options.logger)),
      ],
    });
    const names = options.services.map((s) => serviceName(s.definition));
    this.health = new HealthService(names);
    for (const service of options.services) this.server.addService(service.definition, service.implementation as UntypedServiceImplementation);
    this.health.addToServer(this.server);
    addReflection(this.server, options.descriptorSet);
    if (options.healthPort !== undefined) {
      // Only health here, no reflection and no interceptors: it is plaintext, so it must reveal
      // nothing but SERVING/NOT_SERVING, and probes every few seconds would flood the metrics.
      this.healthServer = new Server(serverChannelOptions(options.channelOptions));
      this.health.addToServer(this.healthServer);
    }
  }

  static create(options: GrpcServerOptions): GrpcServer {
    return new GrpcServer(options);
  }

  /** Aborted when the server starts draining; long-lived streams end themselves on it. */
  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  /** The health listener's bound port, once started with `healthPort`. */
  get healthPort(): number | undefined {
    return this.boundHealthPort;
  }

  get activeCalls(): number {
    return this.tracker.activeCalls;
  }

  /** Binds and resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const { host, port, tls, healthPort } = this.options;
    this.boundPort = await bind(this.server, host, port, serverCredentials(tls));
    this.options.logger.info('grpc server listening', { address: `${host}:${this.boundPort}`, tls: tls ? (tls.requireClientCert ? 'mutual' : 'server') : 'off' });
    if (this.healthServer && healthPort !== undefined) {
      try {
        this.boundHealthPort = await bind(this.healthServer, host, healthPort, ServerCredentials.createInsecure());
      } catch (err) {
        this.server.forceShutdown();
        throw err;
      }
      this.options.logger.info('grpc health listener', { address: `${host}:${this.boundHealthPort}`, tls: 'off', services: [HEALTH_SERVICE_NAME] });
    }
    this.health.set(LIVENESS_SERVICE_NAME, 'SERVING');
    return this.boundPort;
  }

  /** Drains once; later calls return the same report. */
  drain(graceMs: number): Promise<DrainReport> {
    this.draining ??= this.runDrain(graceMs);
    return this.draining;
  }

  private async runDrain(graceMs: number): Promise<DrainReport> {
    const log = this.options.logger;
    const startedAt = Date.now();
    this.health.setAll('NOT_SERVING');
    log.info('drain: health is NOT_SERVING', { activeCalls: this.tracker.activeCalls });
    this.shutdownController.abort();
    this.health.endWatches();
    log.info('drain: streams asked to finish', { graceMs });
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      new Promise<boolean>((resolve) => this.server.tryShutdown(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    const cancelledCalls = graceful ? 0 : this.tracker.activeCalls;
    if (!graceful) {
      log.warn('drain: grace period over, cancelling the calls still running', { cancelledCalls });
      this.server.forceShutdown();
    }
    // The health listener goes last, so probes see NOT_SERVING until the main server is gone.
    this.health.set(LIVENESS_SERVICE_NAME, 'NOT_SERVING');
    if (this.healthServer) {
      this.healthServer.forceShutdown();
      log.info('drain: grpc health listener stopped');
    }
    const durationMs = Date.now() - startedAt;
    log.info('drain: grpc server stopped', { graceful, durationMs });
    return { graceful, durationMs, cancelledCalls };
  }
}
