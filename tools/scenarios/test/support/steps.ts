import { type Network } from '@meridian/netns-harness';
import { fmt, slowest, waitForAnswers, type AskOptions, type Vantage } from './answers';

/** What every vantage must answer for a name after a step (with ECS when `subnet` is set). */
export interface Expectation extends AskOptions {
  readonly name: string;
  readonly expected: string;
  readonly vantages: readonly Vantage[];
  /** Shown in the report (default: the name's first label). */
  readonly label?: string;
}

/**
 * The generous bound on every step: the chain is a 1 s health check (fall 1), the peer
 * stream, records' recompute, the dns delta and a 1 s TTL at the client — a few seconds. 20 s
 * still fails when a region is never dropped or never comes back.
 */
export const STEP_BOUND_MS = 20_000;

/**
 * Runs an action (kill an app, start it…) and waits until every expectation holds at every
 * vantage, timing each from the moment the action began; reports the times and returns the
 * slowest per expectation. Fails after `boundMs`.
 */
export async function measureStep(
  net: Network,
  report: (line: string) => void,
  title: string,
  action: () => Promise<void>,
  expectations: readonly Expectation[],
  boundMs = STEP_BOUND_MS,
): Promise<number[]> {
  const since = Date.now();
  await action();
  const times = await Promise.all(
    expectations.map((e) => waitForAnswers(net, e.name, e.expected, e.vantages, boundMs, { since, ...(e.subnet ? { subnet: e.subnet } : {}) })),
  );
  expectations.forEach((e, i) => {
    const t = times[i] as Record<string, number>;
    const label = e.label ?? (e.name.split('.')[0] as string);
    report(`${title}: ${label}${e.subnet ? ` (ECS ${e.subnet})` : ''} → ${e.expected} after ${fmt(t)}`);
  });
  return times.map(slowest);
}
