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
}

/** The dig command line for a question (without the namespace wrapper). */
export function digArgs(server: string, name: string, type: string, options: DigOptions = {}): string[] {
  return [
    '+yaml',
    `+time=${options.timeoutSeconds ?? 2}`,
    `+tries=${options.tries ?? 1}`,
    options.recurse === false ? '+norecurse' : '+recurse',
    ...(options.tcp ? ['+tcp'] : []),
    `@${server}`,
    '-p',
    String(options.port ?? 53),
    name,
    type,
  ];
}

/** Asks with dig from the host (loopback servers). */
export async function dig(server: string, name: string, type: string, options: DigOptions = {}): Promise<DigResult> {
  const out = await run('dig', digArgs(server, name, type, options), { check: false, timeoutMs: 30_000 });
  return parseDigYaml(out.stdout);
}

/** Parses `dig +yaml` output (one message). */
export function parseDigYaml(text: string): DigResult {
  const empty: DigResult = { status: 'NO-REPLY', flags: [], answer: [], authority: [], additional: [], text };
  let docs: unknown;
  try {
    docs = parse(text, { logLevel: 'silent' });
  } catch {
    return empty;
  }
  const first = Array.isArray(docs) ? (docs[0] as { type?: string; message?: { response_message_data?: Record<string, unknown> } }) : undefined;
  const data = first?.type === 'MESSAGE' ? first.message?.response_message_data : undefined;
  if (!data) return empty;
  const records = (key: string) => ((data[key] as unknown[] | undefined) ?? []).map((line) => parseRecordLine(String(line)));
  return {
    status: String(data['status'] ?? 'NO-REPLY'),
    flags: String(data['flags'] ?? '')
      .split(/\s+/)
      .filter(Boolean),
    answer: records('ANSWER_SECTION'),
    authority: records('AUTHORITY_SECTION'),
    additional: records('ADDITIONAL_SECTION'),
    text,
  };
}

function parseRecordLine(line: string): DigRecord {
  const match = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!match) return { name: '', ttl: 0, type: '', data: line, texts: [] };
  const [, name = '', ttl = '0', , type = '', data = ''] = match;
  const texts = type === 'TXT' ? [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] as string).replace(/\\(.)/g, '$1')) : [];
  return { name: name.replace(/\.$/, ''), ttl: Number(ttl), type, data, texts };
}
