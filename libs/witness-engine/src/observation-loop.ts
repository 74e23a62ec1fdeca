import type { Logger } from '@meridian/logging';
import type { Clock, HeartbeatTarget, Observer } from '@meridian/witness-observers';
import type { Observation } from '@meridian/witness-quorum';
import type { LocalView } from './local-view';
import type { VerdictBoard } from './verdict-board';
import type { WitnessMetrics } from './witness-metrics';

export interface ObservationLoopOptions {
  /** The witnesses that vote: resolvers and peer witnesses. */
  readonly observers: readonly Observer[];
  /** This region's own view, for `Observe`; it does not vote here. */
  readonly direct: Observer | undefined;
  readonly judged: readonly HeartbeatTarget[];
  readonly observed: readonly HeartbeatTarget[];
  readonly board: VerdictBoard;
  readonly localView: LocalView;
  readonly metrics: WitnessMetrics;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called after each round; the first call marks the witness ready. */
  readonly onRound?: (round: number) => void;
}

/**
 * Asks every witness about every region once per interval, all in parallel, and feeds the
 * verdict board. Rounds never overlap (a slow round delays the next instead of piling up),
 * each witness bounds its own questions with its timeout, and `stop` ends the loop after the
 * round in flight.
 */
export class ObservationLoop {
  readonly name = 'observation-loop';
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private rounds = 0;

  constructor(private readonly options: ObservationLoopOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /** One round, outside the timer: for tests and for the first round at start-up. */
  async round(): Promise<void> {
    const { observers, direct, judged, observed, clock, metrics } = this.options;
    const started = clock();
    const [own, ...votes] = await Promise.all([
      direct && observed.length > 0 ? this.ask(direct, observed) : Promise.resolve([]),
      ...observers.map((o) => (judged.length > 0 ? this.ask(o, judged) : Promise.resolve([]))),
    ]);
    this.options.localView.update(own ?? []);
    observers.forEach((observer, i) => {
      const seen = votes[i] ?? [];
      for (const o of seen) metrics.observed(o);
      if (seen.length > 0) metrics.witnessAnswered(observer.name, seen.some((o) => o.observerAnswered));
    });
    for (const o of own ?? []) metrics.observed(o);
    this.options.board.apply(votes.flat(), clock());
    metrics.round((clock() - started) / 1000);
    this.rounds += 1;
    this.options.onRound?.(this.rounds);
  }

  private async ask(observer: Observer, targets: readonly HeartbeatTarget[]): Promise<Observation[]> {
    try {
      return await observer.observe(targets);
    } catch (err) {
      // Observers report failures as observations; reaching here is a bug, not evidence.
      this.options.logger.error('observer failed', { observer: observer.name, err });
      return [];
    }
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const started = this.options.clock();
      try {
        await this.round();
      } catch (err) {
        this.options.logger.error('observation round failed', { err });
      }
      const waitMs = Math.max(0, this.options.intervalMs - (this.options.clock() - started));
      await sleep(waitMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
