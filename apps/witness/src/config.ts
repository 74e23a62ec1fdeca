import { readFileSync } from 'node:fs';
import { geoTagSchema, serviceConfigSchema, watchStreamsSchema } from '@meridian/config';
import { channelCredentials, TlsConfigError } from '@meridian/grpc-kit';
import type { WitnessOptions } from '@meridian/witness-engine';
import { parseHostPort, type HeartbeatTarget, type HostPort } from '@meridian/witness-observers';
import { majority, quorumProblems } from '@meridian/witness-quorum';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { z } from 'zod';

const hostPortSchema = z
  .string()
  .refine((v) => parseHostPort(v) !== undefined, 'must be host:port, for example "10.0.0.53:53" or "[2001:db8::53]:53"');

const domainSchema = z
  .string()
  .regex(/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lower-case domain name without a trailing dot, such as "gslb.example.com"');

const seconds = (min: number, max: number, fallback: number) =>
  z.number().min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`).default(fallback);

const regionSchema = z.strictObject({
  geotag: geoTagSchema,
  /** Default `<geotag>._witness.<zone>`. */
  heartbeatName: domainSchema.optional(),
  /** The region's own nameservers, asked directly for what `Observe` tells peers. */
  nameservers: z.array(hostPortSchema).default([]),
});

const peerSchema = z.strictObject({
  region: geoTagSchema,
  address: hostPortSchema,
  tls: z
    .strictObject({
      caFile: z.string().min(1, 'must be the path of the PEM CA that signs the peer witnesses'),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      serverName: z.string().min(1).optional(),
    })
    .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
      path: ['keyFile'],
      message: 'certFile and keyFile go together (mutual TLS): give both or neither',
    })
    .optional(),
});

/** witness's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const witnessConfigSchema = serviceConfigSchema({ grpcPort: 7103, metricsPort: 9103 })
  .extend({
    streams: watchStreamsSchema,
    witness: z
      .strictObject({
        /** The GSLB zone; heartbeat names default to `<geotag>._witness.<zone>`. */
        zone: domainSchema.optional(),
        /** Every region, this one included; all but this one are judged. */
        regions: z.array(regionSchema).default([]),
        /** Recursive resolvers in other failure domains, each one observer. */
        resolvers: z.array(z.strictObject({ address: hostPortSchema })).default([]),
        /** Peer regions' witness services, each one observer. */
        peers: z.array(peerSchema).default([]),
        /** M: observers that must agree; default a majority of resolvers + peers. */
        quorum: z.number().int('must be a whole number of observers').min(1, 'must be at least 1').optional(),
        intervalSeconds: seconds(0.1, 60, 1),
        timeoutSeconds: seconds(0.05, 30, 1.5),
        freshness: z
          .strictObject({
            maxAgeSeconds: seconds(0.5, 3600, 10),
            maxClockSkewSeconds: seconds(0, 3600, 5),
          })
          .prefault({}),
        hysteresis: z
          .strictObject({
            downAfterSeconds: seconds(0, 3600, 3),
            aliveAfterSeconds: seconds(0, 3600, 2),
          })
          .prefault({}),
        /** Evidence older than this abstains; default 3 intervals + the timeout. */
        evidenceMaxAgeSeconds: z.number().min(0.5, 'must be at least 0.5 seconds').max(3600, 'must be at most 3600 seconds').optional(),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const w = config.witness;
    const seen = new Set<string>();
    w.regions.forEach((r, i) => {
      if (seen.has(r.geotag)) ctx.addIssue({ code: 'custom', path: ['witness', 'regions', i, 'geotag'], input: r.geotag, message: 'is listed twice: list each region once' });
      seen.add(r.geotag);
      if (!r.heartbeatName && !w.zone) {
        ctx.addIssue({ code: 'custom', path: ['witness', 'regions', i, 'heartbeatName'], input: undefined, message: 'is needed when witness.zone is not set: set one of them' });
      }
    });
    w.peers.forEach((p, i) => {
      if (p.region === config.region) ctx.addIssue({ code: 'custom', path: ['witness', 'peers', i, 'region'], input: p.region, message: `is this witness's own region: a peer must be another region` });
    });
    const judged = w.regions.filter((r) => r.geotag !== config.region).length;
    if (judged === 0) return;
    const observers = w.resolvers.length + w.peers.length;
    const quorum = w.quorum ?? majority(observers);
    for (const message of quorumProblems(observers, quorum)) {
      ctx.addIssue({ code: 'custom', path: ['witness', observers === 0 ? 'resolvers' : 'quorum'], input: w.quorum, message });
    }
  });

export type WitnessConfig = z.output<typeof witnessConfigSchema>;

export interface PeerSettings {
  readonly region: string;
  readonly address: string;
  readonly credentials: ChannelCredentials;
  readonly serverName: string | undefined;
}

export interface WitnessSettings {
  readonly options: WitnessOptions;
  readonly resolvers: readonly { name: string; server: HostPort }[];
  readonly peers: readonly PeerSettings[];
  readonly nameservers: ReadonlyMap<string, readonly HostPort[]>;
  readonly timeoutMs: number;
  readonly freshness: { maxAgeMs: number; maxClockSkewMs: number };
}

/** The config, compiled once into the witness's strict settings (certificate files are read here). */
export function witnessSettings(config: WitnessConfig): WitnessSettings {
  const w = config.witness;
  const targets: HeartbeatTarget[] = w.regions.map((r) => ({ region: r.geotag, name: r.heartbeatName ?? `${r.geotag}._witness.${w.zone as string}` }));
  const nameservers = new Map(w.regions.map((r) => [r.geotag, r.nameservers.map((ns) => parseHostPort(ns) as HostPort)]));
  const observers = w.resolvers.length + w.peers.length;
  const intervalMs = w.intervalSeconds * 1000;
  const timeoutMs = w.timeoutSeconds * 1000;
  return {
    options: {
      region: config.region,
      judged: targets.filter((t) => t.region !== config.region),
      observed: targets.filter((t) => (nameservers.get(t.region) ?? []).length > 0),
      intervalMs,
      policy: {
        observers,
        quorum: w.quorum ?? majority(observers),
        downAfterMs: w.hysteresis.downAfterSeconds * 1000,
        aliveAfterMs: w.hysteresis.aliveAfterSeconds * 1000,
        evidenceMaxAgeMs: w.evidenceMaxAgeSeconds !== undefined ? w.evidenceMaxAgeSeconds * 1000 : 3 * intervalMs + timeoutMs,
      },
    },
    resolvers: w.resolvers.map((r) => ({ name: r.address, server: parseHostPort(r.address) as HostPort })),
    peers: w.peers.map((p, i) => {
      const field = (name: string) => `witness.peers.${i}.tls.${name}`;
      return {
        region: p.region,
        address: p.address,
        serverName: p.tls?.serverName,
        credentials: channelCredentials(
          p.tls
            ? {
                ca: readPem(field('caFile'), p.tls.caFile),
                ...(p.tls.certFile && p.tls.keyFile ? { cert: readPem(field('certFile'), p.tls.certFile), key: readPem(field('keyFile'), p.tls.keyFile) } : {}),
              }
            : undefined,
        ),
      };
    }),
    nameservers,
    timeoutMs,
    freshness: { maxAgeMs: w.freshness.maxAgeSeconds * 1000, maxClockSkewMs: w.freshness.maxClockSkewSeconds * 1000 },
  };
}

function readPem(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new TlsConfigError(field, `${path} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
}
