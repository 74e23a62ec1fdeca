/** What a heartbeat TXT record says, as far as it could be read. */
export interface HeartbeatText {
  /** The character-strings joined with spaces: what "moved" means when there is no sequence. */
  readonly text: string;
  readonly sequence: number | undefined;
  /** The publisher's time, in ms since the epoch. */
  readonly time: number | undefined;
  readonly region: string | undefined;
}

/** The record a region publishes at `<geotag>._witness.<zone>`. */
export interface HeartbeatFields {
  readonly region: string;
  readonly sequence: number;
  /** ms since the epoch. */
  readonly time: number;
}

/**
 * The canonical heartbeat text, one TXT character-string:
 * `region=eu seq=42 time=2026-11-21T19:37:00.123Z` (RFC 3339 UTC, milliseconds).
 */
export function formatHeartbeatText(fields: HeartbeatFields): string {
  return `region=${fields.region} seq=${fields.sequence} time=${new Date(fields.time).toISOString()}`;
}

const SEQUENCE_KEYS = new Set(['seq', 'sequence', 'serial', 's', 'n']);
const TIME_KEYS = new Set(['time', 'ts', 'timestamp', 't', 'at']);
const REGION_KEYS = new Set(['region', 'geotag', 'r']);

/**
 * Reads a heartbeat, tolerantly, since publishers may differ in detail: `key=value` or
 * `key:value` tokens in any order, one character-string or several, separated by spaces,
 * commas or semicolons (keys `seq`/`sequence`/`serial`, `time`/`ts`/`timestamp`,
 * `region`/`geotag`, any case); a JSON object with those keys; or bare values (the first
 * integer is the sequence, a second integer or an RFC 3339 date is the time). Times are
 * RFC 3339 or Unix seconds, milliseconds or microseconds (told apart by size). Never throws:
 * what cannot be read is left undefined, and `text` still tells whether the record moved.
 */
export function parseHeartbeatText(strings: readonly string[] | string): HeartbeatText {
  const text = (typeof strings === 'string' ? [strings] : strings).join(' ').trim();
  const fields = new Map<string, string>();
  const bare: string[] = [];
  const json = parseJsonObject(text);
  if (json) {
    for (const [key, value] of Object.entries(json)) {
      if (typeof value === 'string' || typeof value === 'number') fields.set(key.toLowerCase(), String(value));
    }
  } else {
    for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
      const match = /^([A-Za-z][A-Za-z0-9_-]*)[=:](.*)$/.exec(token);
      // An RFC 3339 time contains colons; only a leading word before = or : is a key.
      if (match && !/^\d/.test(token)) fields.set((match[1] as string).toLowerCase(), match[2] as string);
      else bare.push(token);
    }
  }
  let sequence = pick(fields, SEQUENCE_KEYS, parseSequence);
  let time = pick(fields, TIME_KEYS, parseTime);
  const region = pick(fields, REGION_KEYS, (v) => (v.length > 0 ? v.toLowerCase() : undefined));
  for (const token of bare) {
    if (sequence === undefined && /^\d+$/.test(token)) sequence = parseSequence(token);
    else if (time === undefined) time = parseTime(token);
  }
  return { text, sequence, time, region };
}

function pick<T>(fields: Map<string, string>, keys: Set<string>, parse: (value: string) => T | undefined): T | undefined {
  for (const [key, value] of fields) {
    if (!keys.has(key)) continue;
    const parsed = parse(value);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseSequence(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function parseTime(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (n < 1e11) return Math.round(n * 1000); // seconds (until the year 5138)
    if (n < 1e14) return Math.round(n); // milliseconds
    return Math.round(n / 1000); // microseconds
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
