import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { clientTlsSchema, endpointSchema, geoTagSchema, messageSizeSchema, serviceConfigSchema, watchStreamsSchema } from '@meridian/config';
import { channelCredentials } from '@meridian/grpc-kit';
import { MESSAGE_SIZE_LIMITS, normalizeName, type InputEndpoints, type RecordsSettings } from '@meridian/records-engine';
import { validateGeoCidrs } from '@meridian/strategies';
import { z } from 'zod';


const dnsNameSchema = z
  .string()
  .transform((s) => normalizeName(s))
  .pipe(z.string().regex(/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS name such as "gslb.example.com"'));

const seconds = (min: number, max: number, fix: string) =>
  z.number({ error: `must be a number of seconds from ${min} to ${max}` }).min(min, `must be at least ${min} seconds; ${fix}`).max(max, `must be at most ${max} seconds; ${fix}`);

const ttl = (fallback: number) => z.number().int('must be a whole number of seconds').min(0, 'must be 0 or more seconds').max(2_147_483_647, 'must fit in 31 bits (RFC 2181)').default(fallback);

const zoneSchema = z.strictObject({
  /** The delegated zone, k8gb's dnsZone. */
  zone: dnsNameSchema,
  /** The zone that delegates it, k8gb's edgeDNSZone / parentZone. */
  parentZone: dnsNameSchema,
  /** k8gb's dnsZoneNegTTL: the negative caching TTL (SOA minimum). */
  dnsZoneNegTTL: ttl(30),
  nsTtlSeconds: ttl(30),
  soa: z
    .strictObject({
      rname: dnsNameSchema.optional(),
      refresh: ttl(3600),
      retry: ttl(600),
      expire: ttl(86400),
      ttlSeconds: ttl(30),
    })
    .prefault({}),
});

const regionSchema = z.strictObject({
  geoTag: geoTagSchema,
  /** The other regions, nearest first: geoip's fallback and the failover order after the primaries. */
  proximity: z.array(geoTagSchema).default([]),
});

/** records' configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const recordsConfigSchema = serviceConfigSchema({ grpcPort: 7104, metricsPort: 9104 })
  .extend({
    streams: watchStreamsSchema,
    /** Every region of the fleet, this one included; without it, this region is alone. */
    regions: z.array(regionSchema).optional(),
    /** The zones this region answers for, as k8gb's dnsZones. */
    dnsZones: z.array(zoneSchema).default([]),
    /** k8gb's nameserver names: `<prefix>-<geotag>-<zone without parent, dashed>.<parentZone>`. */
    nameserverPrefix: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/, 'must be a DNS label such as "gslb-ns"').default('gslb-ns'),
    /** Client subnet → region, for geoip. */
    geoCidrs: z.array(z.strictObject({ cidr: z.string(), region: geoTagSchema })).default([]),
    staleness: z
      .strictObject({
        freshForSeconds: seconds(0, 3600, 'remote data older than this is "silent"').default(3),
        staleLimitSeconds: seconds(0, 86400, 'a silent region with no quorum verdict is dropped after this').default(300),
        aliveHoldLimitSeconds: seconds(0, 86400, 'even a silent ALIVE region is dropped after this').default(900),
      })
      .prefault({}),
    inputs: z
      .strictObject({
        /** The prober's WatchLocalTargets; required when dnsZones are configured. */
        prober: endpointSchema.optional(),
        /** peer-sync's WatchRemoteTargets; without it this region knows no other region's targets. */
        peerSync: endpointSchema.optional(),
        /** The witness's WatchVerdicts; without it every silent region is UNKNOWN. */
        witness: endpointSchema.optional(),
        tls: clientTlsSchema('input servers').optional(),
        clientId: z.string().min(1).optional(),
        heartbeatTimeoutSeconds: seconds(0.5, 300, 'about three heartbeats of the input services').default(6),
        /** The largest input message accepted: a prober or peer-sync snapshot is one message (ADR 0009). */
        maxMessageBytes: messageSizeSchema(MESSAGE_SIZE_LIMITS),
        /** How long readiness waits for a configured peer-sync and witness at start-up. */
        startupGraceSeconds: seconds(0, 60, 'records serves without them after this').default(3),
      })
      .prefault({}),
    witnessHeartbeat: z
      .strictObject({
        intervalSeconds: seconds(0.5, 60, 'witnesses judge a heartbeat by its age').default(2),
        ttlSeconds: ttl(1),
      })
      .prefault({}),
    reevaluateIntervalSeconds: seconds(0.05, 60, 'silent regions are re-judged this often').default(0.5),
    /** Kubernetes mode: one leader per region (a Lease) writes Gslb status. */
    kubernetes: z
      .strictObject({
        /** A kubeconfig file; without one: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
        kubeconfig: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
        /** Where the Lease lives. */
        namespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a namespace name').default('meridian'),
        /** Defaults to meridian-records-<region>. */
        leaseName: z.string().min(1).optional(),
        /** Defaults to <hostname>-<pid>. */
        identity: z.string().min(1).optional(),
        leaseDurationSeconds: seconds(1, 300, 'a new leader takes over this long after the last renewal').default(15),
        renewDeadlineSeconds: seconds(0.5, 300, 'a leader that cannot renew for this long steps down').default(10),
        retryPeriodSeconds: seconds(0.1, 60, 'how often the Lease is renewed or tried').default(2),
        /** Write Gslb status (serviceHealth, healthyRecords, geoTag, hosts). */
        gslbStatus: z.boolean().default(true),
        /** Also write k8gb-style DNSEndpoint objects (externaldns.k8s.io/v1alpha1) for ExternalDNS users. */
        dnsEndpoints: z.boolean().default(false),
        /** Minimum time between two status writes of one Gslb. */
        statusIntervalSeconds: seconds(0, 60, 'status writes are coalesced').default(1),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const regions = config.regions ?? [{ geoTag: config.region, proximity: [] }];
    const tags = regions.map((r) => r.geoTag);
    regions.forEach((r, i) => {
      if (tags.indexOf(r.geoTag) !== i) issue(['regions', i, 'geoTag'], `"${r.geoTag}" is listed twice: list each region once`);
      r.proximity.forEach((p, j) => {
        if (!tags.includes(p)) issue(['regions', i, 'proximity', j], `"${p}" is not a region of regions[]: use one of ${tags.join(', ')}`);
        if (p === r.geoTag) issue(['regions', i, 'proximity', j], 'a region is not near itself: list only the other regions');
      });
    });
    if (!tags.includes(config.region)) issue(['regions'], `must include this region "${config.region}": add {geoTag: ${config.region}}`);
    config.dnsZones.forEach((z, i) => {
      if (!z.zone.endsWith(`.${z.parentZone}`)) issue(['dnsZones', i, 'parentZone'], `"${z.parentZone}" is not a parent of "${z.zone}": give the zone that delegates it, e.g. "example.com"`);
      if (config.dnsZones.findIndex((o) => o.zone === z.zone) !== i) issue(['dnsZones', i, 'zone'], `"${z.zone}" is listed twice`);
    });
    if (config.dnsZones.length > 0 && config.inputs.prober === undefined) {
      issue(['inputs', 'prober'], 'is required when dnsZones are configured: give the prober\'s host:port, e.g. "127.0.0.1:7101"');
    }
    for (const e of validateGeoCidrs(config.geoCidrs.map((g) => ({ cidr: g.cidr, geoTag: g.region })), { knownGeoTags: tags, path: 'geoCidrs' })) {
      issue(e.field.replace(/\.geoTag$/, '.region').split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), `${e.problem}; ${e.fix}`);
    }
    const s = config.staleness;
    if (s.staleLimitSeconds < s.freshForSeconds) issue(['staleness', 'staleLimitSeconds'], `must be at least freshForSeconds (${s.freshForSeconds}): raise it or lower freshForSeconds`);
    if (s.aliveHoldLimitSeconds < s.staleLimitSeconds) {
      issue(['staleness', 'aliveHoldLimitSeconds'], `must be at least staleLimitSeconds (${s.staleLimitSeconds}): ALIVE is stronger evidence than UNKNOWN`);
    }
    const k = config.kubernetes;
    if (k !== undefined && k.renewDeadlineSeconds >= k.leaseDurationSeconds) {
      issue(['kubernetes', 'renewDeadlineSeconds'], 'must be shorter than leaseDurationSeconds, so a leader steps down before another may take over');
    }
  });

export type RecordsConfig = z.output<typeof recordsConfigSchema>;

function stalenessLimits(s: RecordsConfig['staleness']) {
  return { freshForMs: s.freshForSeconds * 1000, staleLimitMs: s.staleLimitSeconds * 1000, aliveHoldLimitMs: s.aliveHoldLimitSeconds * 1000 };
}

/** The config compiled into the engine's strict settings and the input endpoints (certificate files are read here, once). */
export function recordsSettings(config: RecordsConfig): { settings: RecordsSettings; inputs: InputEndpoints } {
  const regions = (config.regions ?? [{ geoTag: config.region, proximity: [] }])
    .map((r) => ({ geoTag: r.geoTag, proximity: r.proximity }))
    .sort((a, b) => (a.geoTag < b.geoTag ? -1 : 1));
  const settings: RecordsSettings = {
    localGeoTag: config.region,
    regions,
    zones: config.dnsZones.map((z) => ({
      origin: z.zone,
      parentZone: z.parentZone,
      soa: { rname: z.soa.rname ?? '', refresh: z.soa.refresh, retry: z.soa.retry, expire: z.soa.expire, minimum: z.dnsZoneNegTTL, ttlSeconds: z.soa.ttlSeconds },
      nsTtlSeconds: z.nsTtlSeconds,
    })),
    nameserverPrefix: config.nameserverPrefix,
    geoCidrs: config.geoCidrs.map((g) => ({ cidr: g.cidr, geoTag: g.region })),
    limits: stalenessLimits(config.staleness),
    witnessHeartbeat: { intervalMs: config.witnessHeartbeat.intervalSeconds * 1000, ttlSeconds: config.witnessHeartbeat.ttlSeconds, delegationTtlSeconds: 30 },
    reevaluateIntervalMs: config.reevaluateIntervalSeconds * 1000,
    startupGraceMs: config.inputs.startupGraceSeconds * 1000,
    expectLocalTargets: config.inputs.prober !== undefined,
    expectRemoteTargets: config.inputs.peerSync !== undefined,
    expectVerdicts: config.inputs.witness !== undefined,
  };
  const tls = config.inputs.tls;
  const inputs: InputEndpoints = {
    ...(config.inputs.prober !== undefined ? { prober: config.inputs.prober } : {}),
    ...(config.inputs.peerSync !== undefined ? { peerSync: config.inputs.peerSync } : {}),
    ...(config.inputs.witness !== undefined ? { witness: config.inputs.witness } : {}),
    credentials: channelCredentials(
      tls ? { ca: readFileSync(tls.caFile), ...(tls.certFile && tls.keyFile ? { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : {}) } : undefined,
    ),
    clientId: config.inputs.clientId ?? `records-${config.region}-${hostname()}-${process.pid}`,
    heartbeatTimeoutMs: config.inputs.heartbeatTimeoutSeconds * 1000,
    maxMessageBytes: config.inputs.maxMessageBytes,
  };
  return { settings, inputs };
}
