import { type Network } from '@meridian/netns-harness';

/**
 * Where a question is asked: the client's resolver (the path a user's query takes), a
 * region's nameserver (`ns:eu`), or another DNS port in a region (`ns:us:5353`).
 */
export type Vantage = 'client' | `ns:${string}`;

/** The sorted A addresses a vantage point answers for a name ('NO-REPLY', 'SERVFAIL'… when it fails). */
export async function answerAt(net: Network, vantage: Vantage, name: string): Promise<string> {
  let result;
  if (vantage === 'client') {
    // A stub resolver retries: Unbound may spend a few seconds on a nameserver that has just
    // become unreachable before it asks the other one.
    result = await net.dig('client', 'client', name, 'A', { timeoutSeconds: 3, tries: 2 });
  } else {
    // Each region's nameserver is asked from inside its own namespace, so the answer is
    // what that region serves even when it is cut off from everything.
    const [, region = '', port] = vantage.split(':');
    result = await net.dig(region, region, name, 'A', { recurse: false, timeoutSeconds: 1, tries: 2, port: port ? Number(port) : 53 });
  }
  if (result.status !== 'NOERROR') return result.status;
  return result.answer
    .filter((r) => r.type === 'A')
    .map((r) => r.data)
    .sort()
    .join(',');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until every vantage answers `expected`; returns the time taken per vantage (ms). */
export async function waitForAnswers(
  net: Network,
  name: string,
  expected: string,
  vantages: readonly Vantage[],
  timeoutMs: number,
): Promise<Record<string, number>> {
  const started = Date.now();
  const times: Record<string, number> = {};
  const last: Record<string, string> = {};
  await Promise.all(
    vantages.map(async (v) => {
      for (;;) {
        last[v] = await answerAt(net, v, name);
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
    throw new Error(
      `after ${timeoutMs} ms, ${name} is not ${expected} at ${missing.map((v) => `${v} (answers ${last[v]})`).join(', ')}\n${net.logTails(15)}`,
    );
  }
  return times;
}

/**
 * Asks every vantage repeatedly for `durationMs` and returns every distinct answer seen per
 * vantage, in order of first appearance (a hold test expects exactly one).
 */
export async function observeFor(net: Network, name: string, vantages: readonly Vantage[], durationMs: number): Promise<Record<string, string[]>> {
  const started = Date.now();
  const seen: Record<string, string[]> = {};
  await Promise.all(
    vantages.map(async (v) => {
      seen[v] = [];
      while (Date.now() - started < durationMs) {
        const a = await answerAt(net, v, name);
        if (!seen[v].includes(a)) seen[v].push(a);
        await sleep(300);
      }
    }),
  );
  return seen;
}

export function report(line: string): void {
  process.stdout.write(`[split-brain] ${line}\n`);
}

export function fmt(times: Record<string, number>): string {
  return Object.entries(times)
    .map(([v, ms]) => `${v} ${ms} ms`)
    .join(', ');
}
