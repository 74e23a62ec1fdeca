import { geoTagSchema, serviceConfigSchema, watchStreamsSchema } from '@meridian/config';
import { normalizeHostName } from '@meridian/gslb-resources';
import { checkListSchema, checkTimingSchema } from '@meridian/prober-health';
import { WEIGHTED_MODES, WHEN_ALL_UNHEALTHY_MODES } from '@meridian/strategies';
import { z } from 'zod';

const zoneSchema = z.string().refine((z) => normalizeHostName(z) !== undefined, 'must be a DNS zone such as "gslb.example.com"');

/** Where Gslb specs and the objects they reference come from: files (the default) or the Kubernetes API. */
const sourceSchema = z
  .strictObject({
    mode: z.enum(['file', 'kubernetes']).default('file'),
    file: z
      .strictObject({
        /** YAML files of Kubernetes-shaped objects; relative paths are relative to this config file. */
        paths: z.array(z.string().min(1)).default([]),
        pollIntervalSeconds: z.number().min(0.1).max(300).default(1),
      })
      .prefault({}),
    kubernetes: z
      .strictObject({
        /** A kubeconfig file; without one: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
        kubeconfig: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
        /** Namespaces to watch; empty watches every namespace. */
        namespaces: z.array(z.string().min(1)).default([]),
        /** Watch Gateway API Gateways and routes (HTTPRoute, GRPCRoute). */
        gatewayApi: z.boolean().default(true),
        /** Server-side watch timeout; each watch picks a value between this and twice it. */
        watchTimeoutSeconds: z.number().min(1).max(3600).default(300),
      })
      .prefault({}),
  })
  .prefault({});

/** What a Gslb gets when it does not say (k8gb's behaviour unless changed here). */
const defaultsSchema = z
  .strictObject({
    whenAllUnhealthy: z.enum(WHEN_ALL_UNHEALTHY_MODES).default('empty'),
    weightedMode: z.enum(WEIGHTED_MODES).default('reorderAll'),
    dnsTtlSeconds: z.number().int().min(0).max(2_147_483_647).default(30),
  })
  .prefault({});

const hostChecksSchema = z.strictObject({
  /** `app.gslb.example.com`, or `*.gslb.example.com` for every host under a zone. */
  host: z.string().refine((h) => normalizeHostName(h.replace(/^\*\./, '')) !== undefined, 'must be a host name, or *.zone for every host under it'),
  checks: checkListSchema,
});

const checksSchema = z
  .strictObject({
    /** At most this many probes at once, across every host and target. */
    maxConcurrent: z.number().int().min(1).max(100_000).default(256),
    defaults: checkTimingSchema,
    /** Region-specific checks; for the hosts they match they replace the Gslb's meridian.io/checks. */
    hosts: z.array(hostChecksSchema).default([]),
  })
  .prefault({});

/** prober's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const proberConfigSchema = serviceConfigSchema({ grpcPort: 7101, metricsPort: 9101 }).extend({
  streams: watchStreamsSchema,
  /** Zones this region serves; hosts outside them are reported and skipped. Empty: any host. */
  zones: z.array(zoneSchema).default([]),
  /** The fleet's regions; when given, every geotag a Gslb names must be one of them. */
  regions: z.array(geoTagSchema).optional(),
  source: sourceSchema,
  defaults: defaultsSchema,
  checks: checksSchema,
});

export type ProberConfig = z.output<typeof proberConfigSchema>;
