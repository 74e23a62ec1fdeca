import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@meridian/logging';
import { ZoneDelta, ZoneSnapshot } from '@meridian/proto';
import { addStats, STATS_LENGTH } from './query-stats';
import type { StatsSource } from './stats-source';
import { isFromWorker, type FromWorker, type ToWorker, type WorkerSettings } from './worker-messages';
import type { ZoneEvent, ZoneFeed } from './zone-feed';
import { stateToSnapshot } from './zone-state';

export interface WorkerPoolOptions {
  count: number;
  settings: WorkerSettings;
  feed: ZoneFeed;
  logger: Logger;
  /** Called whenever what the workers serve may have changed (readiness is recomputed). */
  onChange?: () => void;
  startTimeoutMs?: number;
  restartDelayMs?: number;
  statsTimeoutMs?: number;
}

/** A worker could not start or bind; names the worker and the reason. */
export class WorkerPoolError extends Error {
  override readonly name = 'WorkerPoolError';
}

interface WorkerState {
  worker: Worker;
  listening: boolean;
  applied: number | undefined;
  lastStats: Float64Array;
}

/**
 * The primary's side of the cluster (ADR dns-0002): forks the workers, which share the UDP
 * and TCP sockets through the cluster module; forwards every zone update the primary's feed
 * applies (a new or resynchronizing worker gets a snapshot of the current state); sums the
 * workers' query counters for /metrics; and re-forks a worker that dies.
 */
export class WorkerPool implements StatsSource {
  readonly name = 'dns-workers';
  private readonly workers = new Map<number, WorkerState>();
  private readonly retired = new Float64Array(STATS_LENGTH);
  private readonly statsRequests = new Map<number, { waiting: Set<number>; sum: Float64Array; done: () => void }>();
  private nextRequest = 1;
  private stopping = false;
  private ports: { udpPort: number; tcpPort: number } | undefined;
  private restarts = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  get address(): { udpPort: number; tcpPort: number } | undefined {
    return this.ports;
  }
  get restartCount(): number {
    return this.restarts;
  }
  get liveWorkers(): number {
    return [...this.workers.values()].filter((w) => w.listening).length;
  }

  /**
   * True when a listening worker serves a zone. Not "every worker": one worker being replaced
   * must not take the whole pod out of its Service while the others answer.
   */
  serving(): boolean {
    for (const w of this.workers.values()) if (w.listening && w.applied !== undefined) return true;
    return false;
  }

  async start(): Promise<void> {
    cluster.setupPrimary({ serialization: 'advanced' });
    this.options.feed.onChange((_state, _version, event) => this.forward(event));
    const started = Array.from({ length: this.options.count }, () => this.fork());
    await Promise.all(started);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exits = [...this.workers.values()].map(
      ({ worker }) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const timer = setTimeout(() => {
            worker.process.kill('SIGKILL');
            resolve();
          }, 5_000);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          this.send(worker, { t: 'stop' });
        }),
    );
    await Promise.all(exits);
  }

  async collectStats(): Promise<Float64Array> {
    const sum = new Float64Array(this.retired);
    const live = [...this.workers.values()].filter((w) => w.listening && !w.worker.isDead());
    if (live.length === 0) return sum;
    const requestId = this.nextRequest++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), this.options.statsTimeoutMs ?? 1_000);
      const finish = () => {
        clearTimeout(timer);
        const request = this.statsRequests.get(requestId);
        this.statsRequests.delete(requestId);
        // A worker that did not answer in time still counts with what it last reported.
        for (const id of request?.waiting ?? []) {
          const state = this.workers.get(id);
          if (state) addStats(sum, state.lastStats);
        }
        resolve();
      };
      this.statsRequests.set(requestId, { waiting: new Set(live.map((w) => w.worker.id)), sum, done: finish });
      for (const w of live) this.send(w.worker, { t: 'stats', requestId });
    });
    return sum;
  }

  private fork(): Promise<void> {
    const worker = cluster.fork();
    const state: WorkerState = { worker, listening: false, applied: undefined, lastStats: new Float64Array(STATS_LENGTH) };
    this.workers.set(worker.id, state);
    const log = this.options.logger.child({ worker: worker.id });
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new WorkerPoolError(`worker ${worker.id} did not listen within ${this.options.startTimeoutMs ?? 15_000} ms`)),
        this.options.startTimeoutMs ?? 15_000,
      );
      worker.on('online', () => this.send(worker, { t: 'init', settings: this.options.settings }));
      worker.on('message', (message: unknown) => {
        if (!isFromWorker(message)) return;
        if (message.t === 'listening') {
          state.listening = true;
          this.ports ??= { udpPort: message.udpPort, tcpPort: message.tcpPort };
          log.info('dns worker listening', { udpPort: message.udpPort, tcpPort: message.tcpPort });
          this.sendSnapshot(worker);
          this.options.onChange?.();
          settle();
          return;
        }
        if (message.t === 'listen-failed') {
          settle(new WorkerPoolError(`worker ${worker.id}: ${message.error}`));
          return;
        }
        this.received(state, message, log);
      });
      worker.on('exit', (code, signal) => {
        this.workers.delete(worker.id);
        addStats(this.retired, state.lastStats);
        this.options.onChange?.();
        settle(new WorkerPoolError(`worker ${worker.id} exited (${signal ?? code}) before listening`));
        for (const request of this.statsRequests.values()) {
          if (request.waiting.delete(worker.id) && request.waiting.size === 0) request.done();
        }
        if (this.stopping) return;
        this.restarts++;
        log.error('dns worker died; starting another', { code, signal });
        setTimeout(() => {
          if (!this.stopping) this.fork().catch((err: unknown) => log.error('replacement worker failed', { err }));
        }, this.options.restartDelayMs ?? 1_000);
      });
    });
  }

  private received(state: WorkerState, message: FromWorker, log: Logger): void {
    switch (message.t) {
      case 'applied':
        state.applied = message.version;
        this.options.onChange?.();
        return;
      case 'resync':
        log.warn('dns worker out of step; sending a snapshot', { version: message.version, error: message.error });
        this.sendSnapshot(state.worker);
        return;
      case 'stats': {
        state.lastStats = Float64Array.from(message.values);
        const request = this.statsRequests.get(message.requestId);
        if (request && request.waiting.delete(state.worker.id)) {
          addStats(request.sum, state.lastStats);
          if (request.waiting.size === 0) request.done();
        }
        return;
      }
      default:
        return;
    }
  }

  private forward(event: ZoneEvent): void {
    const message: ToWorker =
      event.kind === 'snapshot'
        ? { t: 'snapshot', epoch: event.epoch, version: event.version, data: ZoneSnapshot.encode(event.snapshot).finish() }
        : { t: 'delta', epoch: event.epoch, version: event.version, data: ZoneDelta.encode(event.delta).finish() };
    for (const state of this.workers.values()) if (state.listening) this.send(state.worker, message);
  }

  private sendSnapshot(worker: Worker): void {
    const feed = this.options.feed;
    if (!feed.hasData) return;
    const data = ZoneSnapshot.encode(stateToSnapshot(feed.state)).finish();
    this.send(worker, { t: 'snapshot', epoch: feed.epoch, version: feed.version, data });
  }

  private send(worker: Worker, message: ToWorker): void {
    if (worker.isConnected()) worker.send(message);
  }
}
