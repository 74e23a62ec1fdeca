import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { credentials, loadPackageDefinition, status as GrpcStatus, type Client, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { CheckSpec } from '../check-spec';
import { describeError, elapsedMs, type ProbeEndpoint, type ProbeResult, type ProbeSession, type Prober } from './prober';

interface HealthClient extends Client {
  check(request: { service: string }, options: { deadline: Date }, callback: (err: ServiceError | null, response?: { status: string }) => void): void;
}
type HealthClientConstructor = new (address: string, creds: ChannelCredentials, options: Record<string, unknown>) => HealthClient;

/**
 * gRPC health checks: grpc.health.v1.Health/Check from the standard proto (grpc-health-check's
 * protoPath), passing on SERVING. A fresh channel per probe by default (its own subchannel
 * pool, so no shared reconnect backoff hides a recovered server); `keepAlive` keeps one.
 */
export class GrpcProber implements Prober {
  readonly types = ['grpc'] as const;
  private ctor: HealthClientConstructor | undefined;

  open(check: CheckSpec, endpoint: ProbeEndpoint): ProbeSession {
    let kept: HealthClient | undefined;
    return {
      probe: async () => {
        let client: HealthClient;
        try {
          client = kept ?? this.client(check, endpoint);
        } catch (err) {
          return { passed: false, latencyMs: 0, ...describeError(err, endpoint, check.timeoutMs) };
        }
        if (check.keepAlive) kept = client;
        try {
          return await probeGrpc(client, check, endpoint);
        } finally {
          if (!check.keepAlive) client.close();
        }
      },
      close: () => kept?.close(),
    };
  }

  close(): void {
    // Sessions hold what they need and close it themselves.
  }

  private client(check: CheckSpec, endpoint: ProbeEndpoint): HealthClient {
    this.ctor ??= (loadPackageDefinition(loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true })) as unknown as { grpc: { health: { v1: { Health: HealthClientConstructor } } } }).grpc.health.v1.Health;
    const target = isIP(endpoint.host) === 6 ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
    const serverName = check.sni ?? endpoint.gslbHost;
    const options: Record<string, unknown> = {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': Math.max(100, Math.floor(check.intervalMs / 2)),
    };
    let creds = credentials.createInsecure();
    if (check.tls) {
      const ca = check.caFile ? readFileSync(check.caFile) : null;
      creds = credentials.createSsl(ca, null, null, check.insecureSkipVerify ? { checkServerIdentity: () => undefined, rejectUnauthorized: false } : {});
      if (isIP(serverName) === 0) options['grpc.ssl_target_name_override'] = serverName;
      options['grpc.default_authority'] = serverName;
    }
    return new this.ctor(target, creds, options);
  }
}

function probeGrpc(client: HealthClient, check: CheckSpec, endpoint: ProbeEndpoint): Promise<ProbeResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    client.check({ service: check.service }, { deadline: new Date(Date.now() + check.timeoutMs) }, (err, response) => {
      const latencyMs = elapsedMs(started);
      if (!err) {
        const status = response?.status ?? 'UNKNOWN';
        const about = check.service ? `service "${check.service}"` : 'the server';
        resolve(status === 'SERVING' ? { passed: true, latencyMs, message: `${about} is SERVING` } : { passed: false, reason: 'not_serving', latencyMs, message: `${about} is ${status}` });
        return;
      }
      switch (err.code) {
        case GrpcStatus.DEADLINE_EXCEEDED:
          resolve({ passed: false, reason: 'timeout', latencyMs, message: `no answer within ${check.timeoutMs} ms (DEADLINE_EXCEEDED)` });
          return;
        case GrpcStatus.NOT_FOUND:
          resolve({ passed: false, reason: 'not_serving', latencyMs, message: `the server does not know service "${check.service}" (NOT_FOUND)` });
          return;
        case GrpcStatus.UNIMPLEMENTED:
          resolve({ passed: false, reason: 'not_serving', latencyMs, message: 'the server does not offer grpc.health.v1.Health (UNIMPLEMENTED)' });
          return;
        default: {
          const details = err.details || err.message;
          const described = describeError(Object.assign(new Error(details), { code: /ECONNREFUSED/.test(details) ? 'ECONNREFUSED' : /ENOTFOUND|Name resolution failed|DNS/.test(details) ? 'ENOTFOUND' : '' }), endpoint, check.timeoutMs);
          resolve({ passed: false, latencyMs, reason: described.reason === 'error' ? 'unreachable' : described.reason, message: `${GrpcStatus[err.code] ?? err.code}: ${details}` });
        }
      }
    });
  });
}
