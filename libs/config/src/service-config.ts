import { z } from 'zod';

/** A DNS label, as k8gb geotags are: `eu`, `us-east-1`. */
export const geoTagSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lower-case DNS label such as "eu" or "us-east-1"');

export const portSchema = z
  .number({ error: 'must be a port number from 0 to 65535' })
  .int('must be a whole port number from 0 to 65535')
  .min(0, 'must be a port number from 0 to 65535 (0 picks a free port)')
  .max(65535, 'must be a port number from 0 to 65535');

export const hostSchema = z.string().min(1, 'must be an address to listen on, such as "0.0.0.0" or "127.0.0.1"');

/** Certificates from files. With `caFile`, peers are verified; `requireClientCert` makes it mutual. */
export const tlsSchema = z
  .strictObject({
    certFile: z.string().min(1, 'must be the path of a PEM certificate'),
    keyFile: z.string().min(1, 'must be the path of a PEM private key'),
    caFile: z.string().min(1, 'must be the path of a PEM CA bundle').optional(),
    requireClientCert: z.boolean().default(false),
  })
  .refine((tls) => !tls.requireClientCert || tls.caFile !== undefined, {
    path: ['caFile'],
    message: 'is required when requireClientCert is true: name the CA that signs client certificates',
  });

export type TlsConfig = z.output<typeof tlsSchema>;

export const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

/** The fields every Meridian service has; each app extends it with its own section. */
export function serviceConfigSchema(defaults: { grpcPort: number; metricsPort: number }) {
  return z
    .strictObject({
    region: geoTagSchema.default('local'),
    grpc: z
      .strictObject({
        host: hostSchema.default('0.0.0.0'),
        port: portSchema.default(defaults.grpcPort),
        /**
         * A second, plaintext listener on grpc.host that serves only grpc.health.v1.Health, for
         * the kubelet's gRPC probe when the gRPC port requires mTLS. Health reveals only
         * SERVING/NOT_SERVING per service name. Absent: no such listener.
         */
        healthPort: portSchema.optional(),
        tls: tlsSchema.optional(),
      })
      .prefault({}),
    metrics: z
      .strictObject({
        host: hostSchema.default('0.0.0.0'),
        port: portSchema.default(defaults.metricsPort),
      })
      .prefault({}),
    log: z.strictObject({ level: logLevelSchema.default('info') }).prefault({}),
    shutdown: z
      .strictObject({
        graceSeconds: z
          .number()
          .min(0, 'must be 0 or more seconds')
          .max(300, 'must be at most 300 seconds; Kubernetes would kill the pod first')
          .default(10),
      })
      .prefault({}),
    })
    .superRefine((config, ctx) => {
      const { healthPort, port } = config.grpc;
      // Port 0 picks a free port each time, so two listeners on 0 never collide.
      if (healthPort === undefined || healthPort === 0) return;
      if (healthPort === port) {
        ctx.addIssue({
          code: 'custom',
          path: ['grpc', 'healthPort'],
          message: `must differ from grpc.port (both are ${port}): pick another port for the plaintext health listener, or remove grpc.healthPort`,
        });
      }
      if (healthPort === config.metrics.port) {
        ctx.addIssue({
          code: 'custom',
          path: ['grpc', 'healthPort'],
          message: `must differ from metrics.port (both are ${healthPort}): pick another port for the plaintext health listener`,
        });
      }
    });
}

export type ServiceConfig = z.output<ReturnType<typeof serviceConfigSchema>>;

/** For services that serve Watch streams: how often an idle stream carries a heartbeat. */
export const watchStreamsSchema = z
  .strictObject({
    heartbeatSeconds: z
      .number()
      .min(0.1, 'must be at least 0.1 seconds')
      .max(60, 'must be at most 60 seconds, or subscribers notice a dead stream too late')
      .default(2),
  })
  .prefault({});

/** A gRPC server to dial, as `host:port` (IPv6 in brackets). */
export const endpointSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/, 'must be host:port, for example "records.meridian.svc:7104" or "[2001:db8::1]:7104"');

/** TLS for dialling `servers`: the CA that signs them, and optionally our pair for mutual TLS. */
export function clientTlsSchema(servers: string) {
  return z
    .strictObject({
      caFile: z.string().min(1, `must be the path of the PEM CA that signs the ${servers}`),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
    })
    .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
      path: ['keyFile'],
      message: 'certFile and keyFile go together (mutual TLS): give both or neither',
    });
}

/** The bounds of a gRPC receive limit (libs/streams' message-size constants). */
export interface MessageSizeLimits {
  /** gRPC's own default, the smallest limit accepted. */
  grpcDefault: number;
  /** The largest limit gRPC accepts. */
  max: number;
  /** The limit when the field is absent. */
  default: number;
}

/** A gRPC receive limit in bytes: a snapshot is one message (ADR 0009). */
export function messageSizeSchema(limits: MessageSizeLimits) {
  return z
    .number()
    .int('must be a whole number of bytes')
    .min(limits.grpcDefault, `must be at least ${limits.grpcDefault} (4 MiB, gRPC's default)`)
    .max(limits.max, `must be at most ${limits.max} (2 GiB - 1)`)
    .default(limits.default);
}
