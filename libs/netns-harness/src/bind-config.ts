import type { Listen } from './unbound-config';

export interface TsigKey {
  readonly name: string;
  readonly algorithm: string;
  /** Base64. */
  readonly secret: string;
}

export interface BindZone {
  readonly name: string;
  /** The zone file's text. */
  readonly text: string;
  /** Accept RFC 2136 updates signed with this key. */
  readonly updateKey?: TsigKey;
}

export interface BindOptions {
  readonly dir: string;
  readonly listen: readonly Listen[];
  readonly zones: readonly BindZone[];
}

/** A named.conf for an authoritative-only BIND 9 in the foreground (`named -g`), zones as files in `dir`. */
export function bindConfig(options: BindOptions): { conf: string; files: Record<string, string> } {
  const ports = [...new Set(options.listen.map((l) => l.port))];
  const keys = [...new Map(options.zones.flatMap((z) => (z.updateKey ? [[z.updateKey.name, z.updateKey] as const] : []))).values()];
  const files: Record<string, string> = {};
  const zoneFile = (name: string) => (name === '.' ? 'root.zone' : `${name}.zone`);
  for (const zone of options.zones) files[zoneFile(zone.name)] = zone.text;
  const conf = [
    'options {',
    `  directory "${options.dir}";`,
    `  pid-file "${options.dir}/named.pid";`,
    `  session-keyfile "${options.dir}/session.key";`,
    `  managed-keys-directory "${options.dir}";`,
    ...ports.map((port) => `  listen-on port ${port} { ${options.listen.filter((l) => l.port === port && !l.address.includes(':')).map((l) => `${l.address};`).join(' ') || 'none;'} };`),
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  dnssec-validation no;',
    '  notify no;',
    '  minimal-responses no;',
    '};',
    'controls { };',
    ...keys.map((k) => `key "${k.name}" { algorithm ${k.algorithm}; secret "${k.secret}"; };`),
    ...options.zones.map(
      (z) => `zone "${z.name}" { type primary; file "${zoneFile(z.name)}";${z.updateKey ? ` allow-update { key "${z.updateKey.name}"; };` : ''} };`,
    ),
    '',
  ].join('\n');
  return { conf, files };
}

export interface ZoneFileRecord {
  /** Absolute name without a trailing dot, or '@' for the apex. */
  readonly name: string;
  readonly type: string;
  /** Presentation format: an address, a name (absolute, without trailing dot), or quoted text. */
  readonly data: string;
  readonly ttl?: number;
}

/** A zone file with an SOA and the given records; names are written absolute. */
export function zoneFile(origin: string, primary: string, records: readonly ZoneFileRecord[], ttl = 300): string {
  const abs = (name: string) => (name === '@' ? (origin === '.' ? '.' : `${origin}.`) : `${name}.`);
  const isName = (type: string) => ['NS', 'CNAME', 'PTR'].includes(type);
  const soaRname = origin === '.' ? 'hostmaster.' : `hostmaster.${origin}.`;
  return [
    `$TTL ${ttl}`,
    `${abs('@')}\tIN\tSOA\t${primary}.\t${soaRname}\t1 3600 600 86400 1`,
    ...records.map((r) => `${abs(r.name)}\t${r.ttl ?? ttl}\tIN\t${r.type}\t${isName(r.type) ? `${r.data}.` : r.data}`),
    '',
  ].join('\n');
}
