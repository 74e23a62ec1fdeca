import { parse } from 'yaml';
import { run } from './command';

export interface DigRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  /** The data as dig prints it; for TXT, see `texts`. */
  readonly data: string;
  /** TXT only: the character-strings, unquoted. */
  readonly texts: string[];
}

/** What dig printed, parsed from its `+yaml` output. */
export interface DigResult {
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED…, or NO-REPLY when nothing came back. */
  readonly status: string;
  readonly flags: string[];
  readonly answer: DigRecord[];
  readonly authority: DigRecord[];
  readonly additional: DigRecord[];
  /** The EDNS Client Subnet the server echoed, as dig prints it: `address/source/scope` (`10.1.0.0/16/16`). */
  readonly clientSubnet?: string;
  /** dig's own output, for failure messages. */
  readonly text: string;
}

export interface DigOptions {
  /** Recursion desired (default true: asking a resolver); false asks an authoritative server. */
  readonly recurse?: boolean;
  readonly port?: number;
  /** Seconds per try (default 2). */
  readonly timeoutSeconds?: number;
  readonly tries?: number;
  readonly tcp?: boolean;
  /** Sends EDNS Client Subnet (RFC 7871) with this prefix, `10.1.0.0/16` (dig `+subnet`). */
  readonly subnet?: string;
}

/** The dig command line for a question (without the namespace wrapper). */
export function digArgs(server: string, name: string, type: string, options: DigOptions = {}): string[] {
  return [
    '+yaml',
    `+time=${options.timeoutSeconds ?? 2}`,
    `+tries=${options.tries ?? 1}`,
    options.recurse === false ? '+norecurse' : '+recurse',
    ...(options.tcp ? ['+tcp'] : []),
    ...(options.subnet ? [`+subnet=${options.subnet}`] : []),
    `@${server}`,
    '-p',
    String(options.port ?? 53),
    name,
    type,
  ];
}

/**
 * One dig command line asking the same question `count` times in a row (one process, one
 * message per question, in order): many samples of a per-query choice without a process each.
 */
export function digRepeatArgs(server: string, name: string, type: string, count: number, options: DigOptions = {}): string[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  const args = digArgs(server, name, type, options);
  for (let i = 1; i < count; i++) args.push(name, type);
  return args;
}

/** Asks with dig from the host (loopback servers). */
export async function dig(server: string, name: string, type: string, options: DigOptions = {}): Promise<DigResult> {
  const out = await run('dig', digArgs(server, name, type, options), { check: false, timeoutMs: 30_000 });
  return parseDigYaml(out.stdout);
}

/** Parses `dig +yaml` output (one message). */
export function parseDigYaml(text: string): DigResult {
  return parseDigYamlAll(text)[0] ?? noReply(text);
}

type DigItem = { type?: string; message?: { response_message_data?: Record<string, unknown> } };

/** Parses `dig +yaml` output of several questions: one result per question, in order (NO-REPLY for a failed one). */
export function parseDigYamlAll(text: string): DigResult[] {
  let docs: unknown;
  try {
    docs = parse(text, { logLevel: 'silent' });
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  return docs.map((item: DigItem) => {
    const data = item?.type === 'MESSAGE' ? item.message?.response_message_data : undefined;
    return data ? messageResult(data, text) : noReply(text);
  });
}

const noReply = (text: string): DigResult => ({ status: 'NO-REPLY', flags: [], answer: [], authority: [], additional: [], text });

function messageResult(data: Record<string, unknown>, text: string): DigResult {
  const records = (key: string) => ((data[key] as unknown[] | undefined) ?? []).map((line) => parseRecordLine(String(line)));
  const clientSubnet = findClientSubnet(data['OPT_PSEUDOSECTION']);
  return {
    status: String(data['status'] ?? 'NO-REPLY'),
    flags: String(data['flags'] ?? '')
      .split(/\s+/)
      .filter(Boolean),
    answer: records('ANSWER_SECTION'),
    authority: records('AUTHORITY_SECTION'),
    additional: records('ADDITIONAL_SECTION'),
    ...(clientSubnet === undefined ? {} : { clientSubnet }),
    text,
  };
}

/** dig +yaml prints ECS as `CLIENT-SUBNET: 10.1.0.0/16/16` inside the OPT pseudo-section. */
function findClientSubnet(opt: unknown): string | undefined {
  if (opt === null || typeof opt !== 'object') return undefined;
  for (const [key, value] of Object.entries(opt as Record<string, unknown>)) {
    if (key === 'CLIENT-SUBNET' && typeof value === 'string') return value;
    const nested = findClientSubnet(value);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function parseRecordLine(line: string): DigRecord {
  const match = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!match) return { name: '', ttl: 0, type: '', data: line, texts: [] };
  const [, name = '', ttl = '0', , type = '', data = ''] = match;
  const texts = type === 'TXT' ? [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] as string).replace(/\\(.)/g, '$1')) : [];
  return { name: name.replace(/\.$/, ''), ttl: Number(ttl), type, data, texts };
}
