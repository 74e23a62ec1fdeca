import { isIP } from 'node:net';
import { geoTagSchema, messageSizeSchema, portSchema, serviceConfigSchema, watchStreamsSchema } from '@meridian/config';
import { MESSAGE_SIZE_LIMITS } from '@meridian/peer-exchange';
import { z } from 'zod';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):([0-9]{1,5})$/;
const HOST_OR_HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+)(:[0-9]{1,5})?$/;
const DNS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/;

const hostPortSchema = z.string().regex(HOST_PORT, 'must be "host:port", for example "10.0.0.1:7102", "peer-sync.us.example.com:7102" or "[2001:db8::1]:7102"');
/** A DNS server: "host" (port 53) or "host:port". */
const dnsServerSchema = z.string().regex(HOST_OR_HOST_PORT, 'must be "host" or "host:port", for example "10.0.0.53", "127.0.0.1:5353" or "[2001:db8::53]:53"');
const dnsNameSchema = z
  .string()
  .transform((name) => name.toLowerCase())
  .pipe(z.string().regex(DNS_NAME, 'must be a domain name such as "gslb.example.com"'))
  .transform((name) => (name.endsWith('.') ? name.slice(0, -1) : name));
const seconds = (min: number, max: number, fallback: number) =>
  z.number().min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`).default(fallback);

const peerSchema = z
  .strictObject({
    region: geoTagSchema,
    kind: z.enum(['meridian', 'k8gb'], { error: 'must be "meridian" (a peer-sync, over Exchange) or "k8gb" (read over DNS)' }).default('meridian'),
    /** meridian: host:port of its peer-sync. */
    address: hostPortSchema.optional(),
    /** The name the peer's server certificate is checked against, when not the address's host. */
    tlsServerName: z.string().min(1).optional(),
    /** k8gb: its nameservers, asked for localtargets-<host>. */
    nameservers: z.array(dnsServerSchema).optional(),
  })
  .superRefine((peer, ctx) => {
    if (peer.kind === 'meridian' && peer.address === undefined) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'is required for a meridian peer: the host:port of its peer-sync' });
    }
    if (peer.kind === 'meridian' && peer.nameservers !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['nameservers'], message: 'are for k8gb peers only; a meridian peer is reached at its address' });
    }
    if (peer.kind === 'k8gb' && (peer.nameservers === undefined || peer.nameservers.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['nameservers'], message: 'are required for a k8gb peer: its DNS servers, "host" or "host:port"' });
    }
    if (peer.kind === 'k8gb' && peer.address !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'is for meridian peers only; list a k8gb peer\'s DNS servers under nameservers' });
    }
  });

/** Certificates this region presents when it dials peers, and the CA their servers must chain to. */
const clientTlsSchema = z.strictObject({
  certFile: z.string().min(1, 'must be the path of a PEM certificate'),
  keyFile: z.string().min(1, 'must be the path of a PEM private key'),
  caFile: z.string().min(1, 'must be the path of the PEM CA bundle that signs the peers'),
});

/** The largest gRPC message received: a snapshot is one message (ADR 0009). */
const maxMessageBytesSchema = messageSizeSchema(MESSAGE_SIZE_LIMITS);

const peeringSchema = z
  .strictObject({
    heartbeatSeconds: seconds(0.1, 60, 2),
    /** A region's last contact alone is published to records at most this often. */
    contactUpdateSeconds: seconds(0.1, 300, 5),
    historyLimit: z.number().int().min(1).max(1_000_000).default(1024),
    /** The largest Exchange message accepted from a peer, in both directions (a region's snapshot). */
    maxMessageBytes: maxMessageBytesSchema,
    tls: clientTlsSchema.optional(),
    /** Peers without TLS: only for a demo on loopback. */
    plaintext: z.boolean().default(false),
    /** "{region}.peers.example.com": the name a peer's client certificate must carry. */
    peerIdentity: z.string().includes('{region}', { message: 'must contain "{region}", for example "{region}.peers.example.com"' }).optional(),
    reconnect: z
      .strictObject({
        initialMs: z.number().int().min(10).max(60_000).default(200),
        maxSeconds: seconds(0.1, 600, 10),
      })
      .prefault({}),
    peers: z.array(peerSchema).default([]),
  })
  .superRefine((peering, ctx) => {
    const seen = new Set<string>();
    peering.peers.forEach((peer, index) => {
      if (seen.has(peer.region)) ctx.addIssue({ code: 'custom', path: ['peers', index, 'region'], message: `region "${peer.region}" is listed twice` });
      seen.add(peer.region);
    });
  })
  .prefault({});

const proberSchema = z.strictObject({
  /** host:port of this region's prober (WatchLocalTargets). */
  address: hostPortSchema,
  /** No message (heartbeats included) from the prober for this long means its stream is dead. */
  heartbeatTimeoutSeconds: seconds(0.3, 300, 7),
  /** The largest WatchLocalTargets message accepted (the prober's snapshot). */
  maxMessageBytes: maxMessageBytesSchema,
  tls: z
    .strictObject({
      caFile: z.string().min(1, 'must be the path of the PEM CA bundle that signs the prober'),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
    })
    .optional(),
});

const tsigSchema = z
  .strictObject({
    /** A BIND key file, as `tsig-keygen -a hmac-sha256 <name>` prints it. */
    keyFile: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    algorithm: z.enum(['hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1']).optional(),
    /** A file holding only the base64 secret (with name). */
    secretFile: z.string().min(1).optional(),
  })
  .refine((tsig) => tsig.keyFile !== undefined || (tsig.name !== undefined && tsig.secretFile !== undefined), {
    message: 'needs keyFile (a BIND key file from tsig-keygen), or name and secretFile',
  });

const edgeDnsSchema = z.strictObject({
  /** The parent zone's primary: "host" (port 53) or "host:port". Updates and discovery go here. */
  server: dnsServerSchema,
  timeoutMs: z.number().int().min(100).max(60_000).default(3000),
  zones: z
    .array(
      z
        .strictObject({ zone: dnsNameSchema, parent: dnsNameSchema })
        .refine((z) => z.zone.endsWith(`.${z.parent}`), { message: 'zone must lie below parent, for example zone "gslb.example.com", parent "example.com"' }),
    )
    .min(1, 'needs at least one delegated zone: { zone: gslb.example.com, parent: example.com }'),
  /** Publish this region's NS record and glue in the parent zone. */
  delegation: z
    .strictObject({
      /** This region's DNS service addresses (the glue). */
      addresses: z
        .array(z.string().refine((a) => isIP(a) !== 0, 'must be an IPv4 or IPv6 address'))
        .min(1, "needs this region's DNS service addresses: the glue"),
      ttlSeconds: z.number().int().min(1).max(86_400).default(30),
      refreshSeconds: seconds(0.1, 86_400, 60),
      tsig: tsigSchema,
    })
    .optional(),
  /** Find peers from the NS and glue records of the delegated zones (k8gb naming). */
  discovery: z
    .strictObject({
      intervalSeconds: seconds(0.1, 3600, 30),
      peerPort: portSchema.default(7102),
      dnsPort: portSchema.default(53),
      defaultKind: z.enum(['meridian', 'k8gb']).default('meridian'),
      kinds: z.record(geoTagSchema, z.enum(['meridian', 'k8gb'])).default({}),
      peerHost: z.string().includes('{region}', { message: 'must contain "{region}", for example "peer-sync.{region}.example.com"' }).optional(),
      forgetAfterSeconds: seconds(0, 30 * 86_400, 3600),
    })
    .optional(),
});

/** peer-sync's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const peerSyncConfigSchema = serviceConfigSchema({ grpcPort: 7102, metricsPort: 9102 })
  .extend({
    streams: watchStreamsSchema,
    peering: peeringSchema,
    prober: proberSchema.optional(),
    k8gb: z
      .strictObject({
        pollSeconds: seconds(0.1, 600, 5),
        timeoutMs: z.number().int().min(100).max(30_000).default(2000),
      })
      .prefault({}),
    edgeDns: edgeDnsSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const dialsOrAccepts = config.peering.peers.some((p) => p.kind === 'meridian') || config.edgeDns?.discovery !== undefined;
    if (config.peering.plaintext) {
      if (config.grpc.tls) {
        ctx.addIssue({ code: 'custom', path: ['peering', 'plaintext'], message: 'cannot be true while grpc.tls is set: peers would dial this region without TLS' });
      }
      return;
    }
    if (!dialsOrAccepts) return;
    if (!config.grpc.tls) {
      ctx.addIssue({
        code: 'custom',
        path: ['grpc', 'tls'],
        message: 'is required to accept peers over mutual TLS (certFile, keyFile, caFile, requireClientCert: true); set peering.plaintext: true only for a demo on loopback',
      });
    } else if (!config.grpc.tls.requireClientCert) {
      ctx.addIssue({ code: 'custom', path: ['grpc', 'tls', 'requireClientCert'], message: 'must be true: peers prove who they are with client certificates' });
    }
    if (!config.peering.tls && !config.grpc.tls?.caFile) {
      ctx.addIssue({ code: 'custom', path: ['peering', 'tls'], message: 'is required to dial peers over mutual TLS (or grpc.tls with a caFile, which is then used for dialling too)' });
    }
  });

export type PeerSyncConfig = z.output<typeof peerSyncConfigSchema>;

/** "host" or "host:port" with a default port, to host and port. */
export function splitHostPort(value: string, defaultPort: number): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+))(?::([0-9]{1,5}))?$/.exec(value);
  if (!match) throw new Error(`"${value}" is not host or host:port`);
  return { host: (match[1] ?? match[2]) as string, port: match[3] ? Number(match[3]) : defaultPort };
}
