import { type DigOptions, type DigResult, type Network } from '@meridian/netns-harness';

/**
 * Where a question is asked:
 * - `client`: the client's resolver (the path a user's query takes), from the client node;
 * - `client:<port>`: another resolver in the client node (one without a cache, one with ECS…);
 * - `<node>>client:<port>`: that resolver, asked from another node (a user host whose own
 *   address is what an ECS resolver forwards);
 * - `ns:<region>` / `ns:<region>:<port>`: a region's nameserver (or another DNS port in the
 *   region), asked from inside that region without recursion.
 */
export type Vantage = 'client' | `client:${number}` | `${string}>client:${number}` | `ns:${string}`;

/** Per question: EDNS Client Subnet to send (`10.1.0.0/16`). */
export interface AskOptions {
  readonly subnet?: string;
}

/** Asks a vantage point once. */
export async function ask(net: Network, vantage: Vantage, name: string, options: AskOptions = {}): Promise<DigResult> {
  const [server, from, dig] = route(vantage, options);
  return net.dig(from, server, name, 'A', dig);
}

/** Asks a vantage point `count` times in a row (one dig process): samples of a per-query pick. */
export async function askRepeatedly(net: Network, vantage: Vantage, name: string, count: number, options: AskOptions = {}): Promise<DigResult[]> {
  const [server, from, dig] = route(vantage, options);
  return net.digRepeat(from, server, name, 'A', count, dig);
}

/** [server node, asking node, dig options] for a vantage. */
function route(vantage: Vantage, options: AskOptions): [string, string, DigOptions] {
  const subnet = options.subnet ? { subnet: options.subnet } : {};
  if (vantage.startsWith('ns:')) {
    // Each region's nameserver is asked from inside its own namespace, so the answer is
    // what that region serves even when it is cut off from everything.
    const [, region = '', port] = vantage.split(':');
    return [region, region, { recurse: false, timeoutSeconds: 1, tries: 2, port: port ? Number(port) : 53, ...subnet }];
  }
  const match = /^(?:([a-z0-9-]+)>)?client(?::(\d+))?$/.exec(vantage);
  if (!match) throw new Error(`unknown vantage "${vantage}"`);
  // A stub resolver retries: Unbound may spend a few seconds on a nameserver that has just
  // become unreachable before it asks another one.
  return ['client', match[1] ?? 'client', { timeoutSeconds: 3, tries: 2, port: match[2] ? Number(match[2]) : 53, ...subnet }];
}

/** No A record in a NOERROR reply (k8gb's answer when every region is down). */
export const NODATA = 'NODATA';

/** A reply as one comparable string: the sorted A addresses, NODATA, or the failure status (NO-REPLY, SERVFAIL…). */
export function answerOf(result: DigResult): string {
  if (result.status !== 'NOERROR') return result.status;
  const addresses = result.answer.filter((r) => r.type === 'A').map((r) => r.data);
  return addresses.length === 0 ? NODATA : addresses.sort().join(',');
}

/** The sorted A addresses a vantage point answers for a name (NODATA, 'NO-REPLY', 'SERVFAIL'… otherwise). */
export async function answerAt(net: Network, vantage: Vantage, name: string, options: AskOptions = {}): Promise<string> {
  return answerOf(await ask(net, vantage, name, options));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions extends AskOptions {
  /** Times (and the timeout) count from this `Date.now()`, the moment of the action (default: now). */
  readonly since?: number;
}

/** Polls until every vantage answers `expected`; returns the time taken per vantage (ms). */
export async function waitForAnswers(
  net: Network,
  name: string,
  expected: string,
  vantages: readonly Vantage[],
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<Record<string, number>> {
  const started = options.since ?? Date.now();
  const times: Record<string, number> = {};
  const last: Record<string, string> = {};
  await Promise.all(
    vantages.map(async (v) => {
      for (;;) {
        last[v] = await answerAt(net, v, name, options);
        if (last[v] === expected) {
          times[v] = Date.now() - started;
          return;
        }
        if (Date.now() - started > timeoutMs) return;
        await sleep(200);
      }
    }),
  );
  const missing = vantages.filter((v) => times[v] === undefined);
  if (missing.length > 0) {
    const subnet = options.subnet ? ` (ECS ${options.subnet})` : '';
    throw new Error(
      `after ${timeoutMs} ms, ${name}${subnet} is not ${expected} at ${missing.map((v) => `${v} (answers ${last[v]})`).join(', ')}\n${net.logTails(15)}`,
    );
  }
  return times;
}

/**
 * Asks every vantage repeatedly for `durationMs` and returns every distinct answer seen per
 * vantage, in order of first appearance (a hold test expects exactly one).
 */
export async function observeFor(net: Network, name: string, vantages: readonly Vantage[], durationMs: number, options: AskOptions = {}): Promise<Record<string, string[]>> {
  const started = Date.now();
  const seen: Record<string, string[]> = {};
  await Promise.all(
    vantages.map(async (v) => {
      const list: string[] = [];
      seen[v] = list;
      while (Date.now() - started < durationMs) {
        const a = await answerAt(net, v, name, options);
        if (!list.includes(a)) list.push(a);
        await sleep(300);
      }
    }),
  );
  return seen;
}

/** A line on stdout tagged with the suite's name: the measured times end up in the CI log. */
export function reporter(tag: string): (line: string) => void {
  return (line) => process.stdout.write(`[${tag}] ${line}\n`);
}

export const report = reporter('split-brain');

export function fmt(times: Record<string, number>): string {
  return Object.entries(times)
    .map(([v, ms]) => `${v} ${ms} ms`)
    .join(', ');
}

/** The slowest vantage's time (ms). */
export function slowest(times: Record<string, number>): number {
  return Math.max(...Object.values(times));
}
