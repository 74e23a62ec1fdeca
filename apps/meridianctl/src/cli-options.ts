import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors';
import { DEMO_BASE_PORTS, SERVICES, demoEndpoints, type RegionEndpoints, type ServiceName } from './endpoints';

export const COMMANDS = ['status', 'hosts', 'explain', 'watch'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/** The command line compiled once into the strict shape every command uses. */
export interface CliOptions {
  command: CommandName;
  /** One entry per region to ask; only `hosts` accepts more than one. */
  regions: RegionEndpoints[];
  json: boolean;
  timeoutMs: number;
  tls: TlsFiles | undefined;
  /** explain only. */
  host?: string;
  clientSubnet?: string;
}

export type ParsedCommandLine = { help: true } | { help: false; options: CliOptions };

const ADDRESS_FLAGS: readonly ServiceName[] = SERVICES;

/** Parses argv (without node and the script); throws UsageError naming the problem. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        region: { type: 'string', multiple: true },
        'all-regions': { type: 'boolean' },
        records: { type: 'string' },
        witness: { type: 'string' },
        'peer-sync': { type: 'string' },
        prober: { type: 'string' },
        dns: { type: 'string' },
        'client-subnet': { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { help: true };

  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}": use one of ${COMMANDS.join(', ')}`);

  let host: string | undefined;
  if (command === 'explain') {
    if (rest.length !== 1) throw new UsageError('explain takes exactly one host, for example: meridianctl explain failover.gslb.example.com');
    host = rest[0]!.toLowerCase().replace(/\.$/, '');
  } else if (rest.length > 0) {
    throw new UsageError(`${command} takes no arguments, got "${rest.join(' ')}"`);
  }
  if (values['client-subnet'] !== undefined && command !== 'explain') throw new UsageError('--client-subnet only applies to explain');

  const regions = regionEndpoints(command, values);
  const timeoutMs = parseTimeout(values.timeout);
  const tls = tlsFiles(values);

  return {
    help: false,
    options: {
      command,
      regions,
      json: values.json === true,
      timeoutMs,
      tls,
      ...(host !== undefined ? { host } : {}),
      ...(values['client-subnet'] !== undefined ? { clientSubnet: values['client-subnet'] } : {}),
    },
  };
}

function isCommand(value: string): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value);
}

type FlagValues = Partial<Record<ServiceName | 'all-regions' | 'region' | 'ca' | 'cert' | 'key', string | string[] | boolean>>;

function regionEndpoints(command: CommandName, values: FlagValues): RegionEndpoints[] {
  const named = (values.region as string[] | undefined) ?? [];
  const all = values['all-regions'] === true;
  for (const region of named) {
    if (DEMO_BASE_PORTS[region] === undefined) {
      throw new UsageError(`unknown region "${region}": the demo has ${Object.keys(DEMO_BASE_PORTS).join(', ')}; use --records and friends for other addresses`);
    }
  }
  let names = all ? Object.keys(DEMO_BASE_PORTS) : [...new Set(named)];
  if (all && named.length > 0) throw new UsageError('use either --region or --all-regions, not both');
  if (names.length > 1 && command !== 'hosts') throw new UsageError(`${command} asks one region: give one --region`);

  const explicit = ADDRESS_FLAGS.filter((service) => typeof values[service] === 'string');
  if (explicit.length > 0 && names.length > 1) throw new UsageError('explicit addresses (--records, ...) apply to one region: drop --all-regions or the extra --region');
  for (const service of explicit) {
    const address = values[service] as string;
    if (!/^[^\s]+:\d{1,5}$/.test(address)) throw new UsageError(`--${service} "${address}" is not host:port, for example 127.0.0.1:7104`);
  }

  const explicitOnly = names.length === 0 && explicit.length > 0;
  if (names.length === 0) names = ['eu'];
  return names.map((name) => {
    const endpoints = demoEndpoints(name)!;
    for (const service of explicit) endpoints.addresses[service] = values[service] as string;
    return explicitOnly ? { ...endpoints, region: 'custom' } : endpoints;
  });
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 5_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout "${value}" is not a positive number of seconds`);
  return Math.round(seconds * 1000);
}

function tlsFiles(values: FlagValues): TlsFiles | undefined {
  const ca = values.ca as string | undefined;
  const cert = values.cert as string | undefined;
  const key = values.key as string | undefined;
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together (mutual TLS)');
  if (ca === undefined && cert === undefined) return undefined;
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
