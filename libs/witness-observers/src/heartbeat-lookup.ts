import { RCode, RRClass, RRType, rcodeName, type DnsClient } from '@meridian/dns-wire';

/** What asking one server for a heartbeat gave. */
export type LookupOutcome =
  /** One or more TXT records at the name: each record's character-strings. */
  | { readonly kind: 'answer'; readonly records: readonly (readonly string[])[]; readonly latencyMs: number }
  /** A reply without the record: NXDOMAIN, NODATA, SERVFAIL, REFUSED… */
  | { readonly kind: 'rcode'; readonly rcode: string; readonly latencyMs: number }
  /** No reply at all: timeout, unreachable, a transport error. */
  | { readonly kind: 'no-reply'; readonly error: string; readonly latencyMs: number };

export interface LookupOptions {
  /** Recursion desired: true for a resolver, false for an authoritative server. */
  readonly recursion: boolean;
  readonly timeoutMs: number;
  readonly type?: number;
  readonly class?: number;
  readonly now: () => number;
}

/** Asks one question and classifies the reply; never rejects. */
export async function lookupHeartbeat(client: DnsClient, name: string, options: LookupOptions): Promise<LookupOutcome> {
  const started = options.now();
  try {
    const reply = await client.query({
      name,
      type: options.type ?? RRType.TXT,
      class: options.class ?? RRClass.IN,
      recursionDesired: options.recursion,
      timeoutMs: options.timeoutMs,
      edns: { payloadSize: 1232 },
    });
    const latencyMs = options.now() - started;
    if (reply.rcode !== RCode.NOERROR) return { kind: 'rcode', rcode: rcodeName(reply.rcode), latencyMs };
    const records = reply.answers.flatMap((rr) => (rr.type === RRType.TXT && rr.data.kind === 'txt' ? [rr.data.texts] : []));
    if (records.length === 0) return { kind: 'rcode', rcode: 'NODATA', latencyMs };
    return { kind: 'answer', records, latencyMs };
  } catch (err) {
    return { kind: 'no-reply', error: err instanceof Error ? err.message : String(err), latencyMs: options.now() - started };
  }
}
