import type { Clock, TimerHandle } from './clock';

/** Something run every interval: one check against one endpoint. */
export interface ScheduledTask {
  readonly id: string;
  readonly intervalMs: number;
  /** Fraction of the interval added or removed at random from each period. */
  readonly jitter: number;
  /** Runs once; must not reject. */
  run(): Promise<void>;
}

export interface CheckSchedulerOptions {
  clock: Clock;
  /** Uniform in [0, 1); injected for jitter and the initial spread. */
  random: () => number;
  /** At most this many runs at once, across every task; the rest wait in order. */
  maxConcurrent: number;
  /** First runs are spread over min(interval, this) so a start does not fire everything at once. */
  initialSpreadMs?: number;
  /** How late each run started compared with when it was due (queueing and event-loop lag). */
  onStartDelay?: (delayMs: number) => void;
}

interface Entry {
  task: ScheduledTask;
  dueAt: number;
  timer: TimerHandle | undefined;
  running: boolean;
  queued: boolean;
}

/**
 * Runs every task at a fixed rate: each period is measured from when the run was due, not
 * when the last one finished, so slow checks do not stretch the interval; a run still going
 * at its next due time skips that turn. A global cap bounds how many run at once; due runs
 * beyond it wait in a FIFO queue.
 */
export class CheckScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly options: CheckSchedulerOptions) {}

  get running(): number {
    return this.inFlight;
  }

  get waiting(): number {
    return this.queue.length;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  add(task: ScheduledTask): void {
    if (this.stopped) return;
    this.remove(task.id);
    const spread = Math.min(task.intervalMs, this.options.initialSpreadMs ?? 1000);
    const entry: Entry = { task, dueAt: this.options.clock.now() + this.options.random() * spread, timer: undefined, running: false, queued: false };
    this.entries.set(task.id, entry);
    this.arm(entry);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.timer !== undefined) this.options.clock.clearTimeout(entry.timer);
    if (entry.queued) {
      const i = this.queue.indexOf(entry);
      if (i >= 0) this.queue.splice(i, 1);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.entries.keys()]) this.remove(id);
  }

  private arm(entry: Entry): void {
    const delay = Math.max(0, entry.dueAt - this.options.clock.now());
    entry.timer = this.options.clock.setTimeout(() => this.due(entry), delay);
  }

  private due(entry: Entry): void {
    entry.timer = undefined;
    if (this.entries.get(entry.task.id) !== entry) return;
    if (entry.running || entry.queued) {
      // Still busy with the last turn: skip this one.
      this.planNext(entry);
      return;
    }
    if (this.inFlight < this.options.maxConcurrent) this.start(entry);
    else {
      entry.queued = true;
      this.queue.push(entry);
    }
  }

  private start(entry: Entry): void {
    const now = this.options.clock.now();
    this.options.onStartDelay?.(Math.max(0, now - entry.dueAt));
    entry.running = true;
    this.inFlight++;
    this.planNext(entry);
    void entry.task
      .run()
      .catch(() => undefined)
      .finally(() => {
        entry.running = false;
        this.inFlight--;
        this.drain();
      });
  }

  private planNext(entry: Entry): void {
    const { intervalMs, jitter } = entry.task;
    const period = intervalMs * (1 + jitter * (2 * this.options.random() - 1));
    // Fixed rate from the due time; after a long stall, the next run is due now rather than in a burst.
    entry.dueAt = Math.max(entry.dueAt + period, this.options.clock.now());
    if (this.entries.get(entry.task.id) === entry && !this.stopped) this.arm(entry);
  }

  private drain(): void {
    while (this.inFlight < this.options.maxConcurrent && this.queue.length > 0) {
      const next = this.queue.shift() as Entry;
      next.queued = false;
      // A queued entry keeps its due time (no timer armed) until it starts, so its delay counts the wait.
      if (this.entries.get(next.task.id) === next) this.start(next);
    }
  }
}
