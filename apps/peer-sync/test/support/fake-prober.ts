import { isIPv6 } from 'node:net';
import { GrpcServer, watchHandler } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import {
  AddressFamily,
  descriptorSet,
  HealthState,
  ProberServiceService,
  TargetSource,
  type HostHealth,
  type LocalTargetsDelta,
  type LocalTargetsSnapshot,
} from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';

/** A host of a fake prober: healthy with these addresses, or unhealthy without any. */
export function hostHealth(host: string, region: string, addresses: readonly string[], observedAt = new Date()): HostHealth {
  return {
    host,
    region,
    spec: undefined,
    serviceHealth: addresses.length > 0 ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
    targets: addresses.map((address) => ({
      target: { address, family: isIPv6(address) ? AddressFamily.ADDRESS_FAMILY_IPV6 : AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC },
      state: HealthState.HEALTH_STATE_HEALTHY,
      checks: [],
      changedAt: observedAt,
    })),
    observedAt,
  };
}

/**
 * A region's prober as peer-sync sees it: a real gRPC server on 127.0.0.1:0 serving
 * WatchLocalTargets with watchHandler and a VersionedStream, whose hosts a test sets.
 */
export class FakeProber {
  readonly hosts = new Map<string, HostHealth>();
  readonly stream: VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>;
  private readonly shutdown = new AbortController();
  private server!: GrpcServer;
  port = 0;

  private constructor(readonly region: string) {
    this.stream = new VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>({
      snapshot: () => ({ region, hosts: [...this.hosts.values()], problems: [] }),
    });
  }

  static async start(region: string, hosts: Record<string, string[]> = {}): Promise<FakeProber> {
    const prober = new FakeProber(region);
    for (const [host, addresses] of Object.entries(hosts)) prober.hosts.set(host, hostHealth(host, region, addresses));
    prober.server = GrpcServer.create({
      host: '127.0.0.1',
      port: 0,
      logger: nullLogger,
      registry: createMetricsRegistry({ runtimeMetrics: false }),
      descriptorSet: descriptorSet(),
      services: [
        {
          definition: ProberServiceService,
          implementation: { watchLocalTargets: watchHandler(prober.stream, { heartbeatMs: 500, shutdownSignal: prober.shutdown.signal, logger: nullLogger }) },
        },
      ],
      shutdownController: prober.shutdown,
    });
    prober.port = await prober.server.start();
    return prober;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Sets a host's targets and publishes the change; returns when it was published. */
  setHost(host: string, addresses: readonly string[]): number {
    const health = hostHealth(host, this.region, addresses);
    this.hosts.set(host, health);
    this.stream.publish({ upserted: [health], removedHosts: [], problems: [], problemsChanged: false });
    return Date.now();
  }

  removeHost(host: string): void {
    this.hosts.delete(host);
    this.stream.publish({ upserted: [], removedHosts: [host], problems: [], problemsChanged: false });
  }

  async stop(): Promise<void> {
    await this.server.drain(500);
  }
}
