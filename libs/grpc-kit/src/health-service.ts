import { status as GrpcStatus, type Server, type ServerWritableStream, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { service as healthServiceDefinition } from 'grpc-health-check';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

interface HealthRequest {
  service: string;
}
interface HealthResponse {
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
}

/** The full name of the standard health service. */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

/**
 * A health service name that is SERVING while the gRPC server runs, whatever the readiness, so
 * a liveness probe can ask it: a service waiting for an input is unready, not dead.
 */
export const LIVENESS_SERVICE_NAME = 'meridian.v1.Liveness';

/**
 * `grpc.health.v1.Health` (Check, Watch, List) over a status per service name; "" is the whole
 * server. Unlike the stock implementation, Watch streams end cleanly when the server drains,
 * so a drain is not held up by health watchers.
 */
export class HealthService {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<ServerWritableStream<HealthRequest, HealthResponse>>>();

  constructor(serviceNames: readonly string[], initial: ServingStatus = 'NOT_SERVING') {
    for (const name of ['', ...serviceNames]) this.statuses.set(name, initial);
    this.statuses.set(LIVENESS_SERVICE_NAME, 'NOT_SERVING');
  }

  /** Sets every served service (and the server as a whole) to one status; liveness is apart. */
  setAll(status: ServingStatus): void {
    for (const name of this.statuses.keys()) if (name !== LIVENESS_SERVICE_NAME) this.set(name, status);
  }

  set(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
    for (const call of this.watchers.get(service) ?? []) call.write({ status });
  }

  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /** Ends every Watch stream with OK; called when the server drains. */
  endWatches(): void {
    for (const set of this.watchers.values()) for (const call of set) call.end();
    this.watchers.clear();
  }

  addToServer(server: Pick<Server, 'addService'>): void {
    server.addService(healthServiceDefinition, {
      Check: (call: ServerUnaryCall<HealthRequest, HealthResponse>, callback: sendUnaryData<HealthResponse>) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) {
          callback({ code: GrpcStatus.NOT_FOUND, details: `no health status for service "${call.request.service}"` });
          return;
        }
        callback(null, { status });
      },
      Watch: (call: ServerWritableStream<HealthRequest, HealthResponse>) => {
        const service = call.request.service;
        let set = this.watchers.get(service);
        if (!set) this.watchers.set(service, (set = new Set()));
        set.add(call);
        call.write({ status: this.statuses.get(service) ?? 'SERVICE_UNKNOWN' });
        call.on('cancelled', () => set.delete(call));
      },
      List: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const statuses: Record<string, HealthResponse> = {};
        for (const [name, status] of this.statuses) statuses[name] = { status };
        callback(null, { statuses });
      },
    });
  }
}
