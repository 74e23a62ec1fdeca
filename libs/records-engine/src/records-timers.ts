import type { RecordsEngine } from './records-engine';
import type { RecordsSettings } from './records-settings';

/**
 * The engine's timers: the witness heartbeat, the re-judging of silent regions against the
 * staleness limits, and the end of the start-up wait for optional inputs.
 */
export class RecordsTimers {
  readonly name = 'records-timers';
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly engine: RecordsEngine,
    private readonly settings: RecordsSettings,
  ) {}

  start(): void {
    const { engine, settings } = this;
    this.timers.push(setInterval(() => engine.heartbeat(), settings.witnessHeartbeat.intervalMs));
    this.timers.push(setInterval(() => engine.reevaluate(), settings.reevaluateIntervalMs));
    this.timers.push(setTimeout(() => engine.endStartupGrace(), settings.startupGraceMs));
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
  }
}
