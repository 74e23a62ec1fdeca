/** Where a resolver or server listens. */
export interface Listen {
  readonly address: string;
  readonly port: number;
}

export interface UnboundOptions {
  /** Working directory: pid file and root hints go here. */
  readonly dir: string;
  readonly listen: readonly Listen[];
  /** Root servers, written as a root hints file: resolution starts at the root, as on the internet. */
  readonly rootServers?: readonly { name: string; address: string }[];
  /** Zones sent straight to given servers (`address@port`), for loopback setups without a root. */
  readonly stubZones?: readonly { name: string; servers: readonly string[] }[];
  /** Allow asking servers on 127.0.0.0/8 and ::1 (loopback setups). */
  readonly queryLocalhost?: boolean;
  /** Unbound's `module-config` (default `iterator`; `subnetcache iterator` for EDNS Client Subnet). */
  readonly modules?: string;
  /** More `server:` lines, verbatim, for a scenario that needs them. */
  readonly extra?: readonly string[];
  readonly verbosity?: number;
}

/**
 * An unbound.conf for a test resolver: foreground, logging to stderr, no privileges dropped,
 * no DNSSEC (the test zones are unsigned), access for everything the test network holds. It
 * forgets unresponsive servers quickly (`infra-host-ttl: 2`, `infra-keep-probing`), so a
 * healed link is used again within seconds; real resolvers take longer, which the witness's
 * freshness and timeouts already allow for.
 */
export function unboundConfig(options: UnboundOptions): { conf: string; rootHints: string | undefined } {
  const rootHints = options.rootServers
    ? options.rootServers.map((s) => `.\t3600000\tNS\t${s.name}.\n${s.name}.\t3600000\t${s.address.includes(':') ? 'AAAA' : 'A'}\t${s.address}\n`).join('')
    : undefined;
  const lines = [
    'server:',
    ...options.listen.map((l) => `  interface: ${l.address}@${l.port}`),
    '  do-daemonize: no',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${options.dir}"`,
    `  pidfile: "${options.dir}/unbound.pid"`,
    '  logfile: ""',
    '  use-syslog: no',
    '  log-time-ascii: yes',
    `  verbosity: ${options.verbosity ?? 1}`,
    '  num-threads: 1',
    '  so-reuseport: no',
    '  outgoing-range: 64',
    '  msg-cache-size: 4m',
    '  rrset-cache-size: 4m',
    `  module-config: "${options.modules ?? 'iterator'}"`,
    '  access-control: 0.0.0.0/0 allow',
    '  access-control: ::/0 allow',
    '  infra-host-ttl: 2',
    '  infra-keep-probing: yes',
    '  infra-cache-max-rtt: 2000',
    '  serve-expired: no',
    '  hide-identity: no',
    ...(options.queryLocalhost ? ['  do-not-query-localhost: no'] : []),
    ...(rootHints ? [`  root-hints: "${options.dir}/root.hints"`] : []),
    ...(options.extra ?? []).map((l) => `  ${l}`),
    ...(options.stubZones ?? []).flatMap((z) => ['stub-zone:', `  name: "${z.name}"`, ...z.servers.map((s) => `  stub-addr: ${s}`)]),
    'remote-control:',
    '  control-enable: no',
    '',
  ];
  return { conf: lines.join('\n'), rootHints };
}
