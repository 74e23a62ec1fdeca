import { z } from 'zod';

export const CHECK_TYPES = ['http', 'https', 'tcp', 'grpc'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];
export const TARGET_FAMILIES = ['ipv4', 'ipv6', 'name'] as const;

/** Timing every check gets unless it says otherwise; the region config may change these. */
export interface CheckTiming {
  intervalSeconds: number;
  timeoutSeconds: number;
  rise: number;
  fall: number;
  /** ± this fraction of the interval is added to each period, so checks do not march in step. */
  jitter: number;
}

export const DEFAULT_CHECK_TIMING: CheckTiming = { intervalSeconds: 5, timeoutSeconds: 2, rise: 2, fall: 3, jitter: 0.1 };

/** One check, compiled: defaults applied, URL taken apart, ready to schedule. */
export interface CheckSpec {
  /** Unique per host; CheckResult.check. Defaults to the type. */
  name: string;
  type: CheckType;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  jitter: number;
  /** The targets it applies to, by address family. */
  families: ('ipv4' | 'ipv6' | 'name')[];
  /** A fixed address probed instead of each target; its result applies to every target it covers. */
  endpoint?: { host: string; port: number };
  /** The port probed on each target. */
  port: number;
  // HTTP and HTTPS
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Host header; the GSLB host when unset, so virtual hosting at the target works. */
  hostHeader?: string;
  /** TLS server name (https, gRPC over TLS); the GSLB host when unset. */
  sni?: string;
  /** Inclusive status ranges that pass. */
  expectStatus: [number, number][];
  bodyContains?: string;
  caFile?: string;
  insecureSkipVerify: boolean;
  /** Reuse one connection between probes instead of connecting each time. */
  keepAlive: boolean;
  // gRPC
  /** grpc.health.v1 service name; '' asks about the server as a whole. */
  service: string;
  tls: boolean;
}

const statusRange = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^\s*[1-5]\d\d\s*(-\s*[1-5]\d\d\s*)?$/, 'must be a status or a range such as "200-399"'),
]);

/**
 * The YAML shape of a check, shared by the `meridian.io/checks` annotation and the region
 * config, so both report errors the same way (field, value, fix).
 */
export const checkInputSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a short lower-case name such as "healthz"').optional(),
    type: z.enum(CHECK_TYPES).optional(),
    url: z.string().optional(),
    address: z.string().optional(),
    port: z.number().int().min(1, 'must be a port from 1 to 65535').max(65535, 'must be a port from 1 to 65535').optional(),
    path: z.string().startsWith('/', 'must start with "/"').optional(),
    method: z.string().regex(/^[A-Z]+$/, 'must be an HTTP method in upper case, such as GET or HEAD').optional(),
    headers: z.record(z.string(), z.string()).optional(),
    hostHeader: z.string().min(1).optional(),
    sni: z.string().min(1).optional(),
    expectStatus: z.array(statusRange).min(1, 'must list at least one status or range').optional(),
    bodyContains: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    insecureSkipVerify: z.boolean().optional(),
    keepAlive: z.boolean().optional(),
    service: z.string().optional(),
    tls: z.boolean().optional(),
    intervalSeconds: z.number().min(0.05, 'must be at least 0.05 seconds').max(3600, 'must be at most 3600 seconds').optional(),
    timeoutSeconds: z.number().min(0.01, 'must be at least 0.01 seconds').max(600, 'must be at most 600 seconds').optional(),
    rise: z.number().int().min(1, 'must be 1 or more').max(100).optional(),
    fall: z.number().int().min(1, 'must be 1 or more').max(100).optional(),
    jitter: z.number().min(0, 'must be from 0 to 0.5').max(0.5, 'must be from 0 to 0.5 (a fraction of the interval)').optional(),
    families: z.array(z.enum(TARGET_FAMILIES)).min(1, 'must list at least one of ipv4, ipv6, name').optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type === undefined && input.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'is required (http, https, tcp or grpc) unless a url gives it' });
    }
    if (input.url !== undefined) {
      if (input.address !== undefined) ctx.addIssue({ code: 'custom', path: ['address'], message: 'cannot be combined with url: give one or the other' });
      const parsed = parseCheckUrl(input.url);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', path: ['url'], message: parsed });
      else if (input.type !== undefined && input.type !== parsed.type) {
        ctx.addIssue({ code: 'custom', path: ['type'], message: `is ${input.type} but the url is ${parsed.type}: drop type or make them agree` });
      }
    }
    if (input.address !== undefined && typeof parseHostPort(input.address) === 'string') {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'must be host:port, such as 127.0.0.1:8080 or [2001:db8::1]:8080' });
    }
    const type = input.type ?? (input.url !== undefined ? (parseCheckUrl(input.url) as { type?: CheckType }).type : undefined);
    if ((type === 'tcp' || type === 'grpc') && input.port === undefined && input.address === undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: `is required for a ${type} check: the port to probe on each target (or give address)` });
    }
    if (input.timeoutSeconds !== undefined && input.intervalSeconds !== undefined && input.timeoutSeconds > input.intervalSeconds) {
      ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: 'must not exceed intervalSeconds' });
    }
  });

export type CheckInput = z.input<typeof checkInputSchema>;

/** The timing defaults as a schema for the region config (`checks.defaults`). */
export const checkTimingSchema = z
  .strictObject({
    intervalSeconds: z.number().min(0.05).max(3600).default(DEFAULT_CHECK_TIMING.intervalSeconds),
    timeoutSeconds: z.number().min(0.01).max(600).default(DEFAULT_CHECK_TIMING.timeoutSeconds),
    rise: z.number().int().min(1).max(100).default(DEFAULT_CHECK_TIMING.rise),
    fall: z.number().int().min(1).max(100).default(DEFAULT_CHECK_TIMING.fall),
    jitter: z.number().min(0).max(0.5).default(DEFAULT_CHECK_TIMING.jitter),
  })
  .prefault({});

/** Unique names per list: two checks of one type need names of their own. */
export const checkListSchema = z.array(checkInputSchema).superRefine((checks, ctx) => {
  const seen = new Map<string, number>();
  checks.forEach((c, i) => {
    const name = c.name ?? c.type ?? (c.url !== undefined ? (parseCheckUrl(c.url) as { type?: string }).type : undefined) ?? '';
    const first = seen.get(name);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${name}" is already the name of check ${first}: give each check a distinct name` });
    else seen.set(name, i);
  });
});

/** Applies defaults and takes the URL apart. The input must have passed checkInputSchema. */
export function compileCheck(input: z.output<typeof checkInputSchema>, timing: CheckTiming): CheckSpec {
  const fromUrl = input.url !== undefined ? (parseCheckUrl(input.url) as ParsedUrl) : undefined;
  const type = (input.type ?? fromUrl?.type) as CheckType;
  const endpoint = fromUrl?.endpoint ?? (input.address !== undefined ? (parseHostPort(input.address) as { host: string; port: number }) : undefined);
  const intervalSeconds = input.intervalSeconds ?? timing.intervalSeconds;
  const timeoutSeconds = Math.min(input.timeoutSeconds ?? timing.timeoutSeconds, intervalSeconds);
  return {
    name: input.name ?? type,
    type,
    intervalMs: Math.round(intervalSeconds * 1000),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    rise: input.rise ?? timing.rise,
    fall: input.fall ?? timing.fall,
    jitter: input.jitter ?? timing.jitter,
    families: input.families ?? ['ipv4', 'ipv6', 'name'],
    ...(endpoint ? { endpoint } : {}),
    port: input.port ?? endpoint?.port ?? (type === 'https' ? 443 : 80),
    method: input.method ?? 'GET',
    path: fromUrl?.path ?? input.path ?? '/',
    headers: input.headers ?? {},
    // A URL is probed as curl would: its own host in the Host header and as the TLS server name.
    ...((input.hostHeader ?? fromUrl?.authority) !== undefined ? { hostHeader: (input.hostHeader ?? fromUrl?.authority) as string } : {}),
    ...((input.sni ?? fromUrl?.endpoint.host) !== undefined ? { sni: (input.sni ?? fromUrl?.endpoint.host) as string } : {}),
    expectStatus: (input.expectStatus ?? ['200-399']).map(toRange),
    ...(input.bodyContains !== undefined ? { bodyContains: input.bodyContains } : {}),
    ...(input.caFile !== undefined ? { caFile: input.caFile } : {}),
    insecureSkipVerify: input.insecureSkipVerify ?? false,
    keepAlive: input.keepAlive ?? false,
    service: input.service ?? '',
    tls: input.tls ?? false,
  };
}

interface ParsedUrl {
  type: CheckType;
  endpoint: { host: string; port: number };
  path: string;
  /** `host[:port]` of the URL: its Host header, as curl would send. */
  authority: string;
}

/** `http://127.0.0.1:18081/healthz` → type, fixed endpoint and path; a string is the error. */
export function parseCheckUrl(text: string): ParsedUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL such as http://127.0.0.1:8080/healthz';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials; use headers';
  const type: CheckType = url.protocol === 'https:' ? 'https' : 'http';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { type, endpoint: { host, port: url.port ? Number(url.port) : type === 'https' ? 443 : 80 }, path: `${url.pathname}${url.search}`, authority: url.host };
}

/** `host:port` or `[v6]:port`; a string is the error. */
export function parseHostPort(text: string): { host: string; port: number } | string {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) return 'invalid';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'invalid';
  return { host: m[1] as string, port };
}

function toRange(value: number | string): [number, number] {
  if (typeof value === 'number') return [value, value];
  const [lo, hi] = value.split('-').map((s) => Number(s.trim()));
  return [lo as number, hi ?? (lo as number)];
}
