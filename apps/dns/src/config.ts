import { readFileSync } from 'node:fs';
import { clientTlsSchema, endpointSchema, hostSchema, messageSizeSchema, portSchema, serviceConfigSchema } from '@meridian/config';
import { MESSAGE_SIZE_LIMITS, type DnsServiceSettings } from '@meridian/dns-server';
import { channelCredentials } from '@meridian/grpc-kit';
import { z } from 'zod';


/** dns's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const dnsConfigSchema = serviceConfigSchema({ grpcPort: 7105, metricsPort: 9105 }).extend({
  dns: z
    .strictObject({
      host: hostSchema.default('0.0.0.0'),
      // 5053 for the demo and tests without root; production binds 53 (see README).
      port: portSchema.default(5053),
      workers: z.number().int('must be a whole number of processes').min(0, 'must be 0 (answer in the main process) or more').max(64, 'must be at most 64').default(1),
      ednsPayloadSize: z
        .number()
        .int()
        .min(512, 'must be at least 512 bytes (RFC 6891)')
        .max(4096, 'must be at most 4096 bytes; 1232 avoids IP fragmentation (DNS flag day 2020)')
        .default(1232),
      udp: z
        .strictObject({
          receiveBufferBytes: z.number().int().min(0).max(268435456, 'must be at most 256 MiB').default(4194304),
          sendBufferBytes: z.number().int().min(0).max(268435456, 'must be at most 256 MiB').default(4194304),
        })
        .prefault({}),
      tcp: z
        .strictObject({
          idleTimeoutSeconds: z.number().min(0.1, 'must be at least 0.1 seconds').max(300, 'must be at most 300 seconds').default(10),
          maxConnections: z.number().int().min(1, 'must be at least 1').max(100000).default(1000),
          maxInFlightPerConnection: z.number().int().min(1, 'must be at least 1').max(65535).default(128),
        })
        .prefault({}),
    })
    .prefault({}),
  records: z
    .strictObject({
      endpoints: z.array(endpointSchema).default([]),
      tls: clientTlsSchema('records servers').optional(),
      clientId: z.string().min(1).optional(),
      heartbeatTimeoutSeconds: z.number().min(0.5, 'must be at least 0.5 seconds').max(300).default(6),
      // A zone snapshot is one message: about 300 bytes per host and region (ADR 0009).
      maxMessageBytes: messageSizeSchema(MESSAGE_SIZE_LIMITS),
    })
    .prefault({}),
  snapshotFile: z.string().min(1, 'must be the path of a zone snapshot JSON file').optional(),
});

export type DnsConfig = z.output<typeof dnsConfigSchema>;

/** The config, compiled into the library's settings (certificate files are read here, once). */
export function dnsSettings(config: DnsConfig): DnsServiceSettings {
  const tls = config.records.tls;
  const credentials = channelCredentials(
    tls
      ? {
          ca: readFileSync(tls.caFile),
          ...(tls.certFile && tls.keyFile ? { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : {}),
        }
      : undefined,
  );
  return {
    region: config.region,
    logLevel: config.log.level,
    listen: {
      host: config.dns.host,
      port: config.dns.port,
      udp: { receiveBufferBytes: config.dns.udp.receiveBufferBytes, sendBufferBytes: config.dns.udp.sendBufferBytes },
      tcp: {
        idleTimeoutMs: config.dns.tcp.idleTimeoutSeconds * 1000,
        maxConnections: config.dns.tcp.maxConnections,
        maxInFlightPerConnection: config.dns.tcp.maxInFlightPerConnection,
      },
    },
    ednsPayloadSize: config.dns.ednsPayloadSize,
    workers: config.dns.workers,
    records: {
      endpoints: config.records.endpoints,
      credentials,
      clientId: config.records.clientId ?? `dns-${config.region}-${process.pid}`,
      heartbeatTimeoutMs: config.records.heartbeatTimeoutSeconds * 1000,
      maxMessageBytes: config.records.maxMessageBytes,
    },
    ...(config.snapshotFile !== undefined ? { snapshotFile: config.snapshotFile } : {}),
  };
}
