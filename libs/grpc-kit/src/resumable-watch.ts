import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Logger } from '@meridian/logging';
import { Backoff } from './backoff';

/** The envelope every Meridian Watch response has. */
export interface WatchResponseLike {
  epoch: string;
  version: number;
  event?: { $case: 'snapshot' | 'delta' | 'heartbeat' | string } | undefined;
}

export type WatchState = 'connecting' | 'synced' | 'disconnected' | 'stopped';

export interface ResumableWatchOptions<Res extends WatchResponseLike> {
  /** Opens the stream from a position; empty epoch and 0 ask for a snapshot. */
  open: (from: { epoch: string; sinceVersion: number }) => ClientReadableStream<Res>;
  /** Applies one snapshot or delta. Throwing makes the watch resubscribe from a snapshot. */
  apply: (response: Res) => void;
  /** No message (heartbeats included) for this long means the stream is dead. */
  heartbeatTimeoutMs: number;
  logger: Logger;
  backoff?: Backoff;
  onStateChange?: (state: WatchState, detail: string) => void;
}

/**
 * The client side of a snapshot-then-delta stream: applies events in version order, resumes
 * from the last applied version after any failure (reconnecting with backoff), resubscribes
 * from a snapshot on a gap or a new epoch, and treats a silent stream as dead.
 */
export class ResumableWatch<Res extends WatchResponseLike> {
  private position = { epoch: '', version: 0 };
  private call: ClientReadableStream<Res> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private currentState: WatchState = 'stopped';
  private readonly backoff: Backoff;

  constructor(private readonly options: ResumableWatchOptions<Res>) {
    this.backoff = options.backoff ?? new Backoff({ initialMs: 200, maxMs: 5_000 });
  }

  get state(): WatchState {
    return this.currentState;
  }

  /** The epoch and version last applied. */
  get applied(): { epoch: string; version: number } {
    return { ...this.position };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.call?.cancel();
    this.call = undefined;
    this.setState('stopped', 'stopped by its owner');
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting', `resuming from ${this.position.epoch || 'nothing'}@${this.position.version}`);
    const call = this.options.open({ epoch: this.position.epoch, sinceVersion: this.position.version });
    this.call = call;
    this.armSilenceTimer(call);
    call.on('data', (response: Res) => this.receive(call, response));
    call.on('error', (err: Error) => this.lost(call, err.message));
    call.on('end', () => this.lost(call, 'the server ended the stream'));
  }

  private receive(call: ClientReadableStream<Res>, response: Res): void {
    if (call !== this.call) return;
    this.armSilenceTimer(call);
    const kind = response.event?.$case;
    const { epoch, version } = this.position;
    if (kind === 'snapshot') {
      if (!this.applyOrResync(call, response)) return;
    } else if (kind === 'delta') {
      if (response.epoch !== epoch || response.version !== version + 1) {
        this.resync(call, `delta ${response.epoch}@${response.version} does not follow ${epoch}@${version}`);
        return;
      }
      if (!this.applyOrResync(call, response)) return;
    } else if (kind === 'heartbeat') {
      if (response.epoch !== epoch || response.version !== version) {
        this.resync(call, `heartbeat at ${response.epoch}@${response.version} while at ${epoch}@${version}`);
        return;
      }
    } else {
      return;
    }
    this.position = { epoch: response.epoch, version: response.version };
    this.backoff.reset();
    if (this.currentState !== 'synced') this.setState('synced', `at ${response.epoch}@${response.version}`);
  }

  private applyOrResync(call: ClientReadableStream<Res>, response: Res): boolean {
    try {
      this.options.apply(response);
      return true;
    } catch (err) {
      this.resync(call, `could not apply version ${response.version}: ${(err as Error).message}`);
      return false;
    }
  }

  private resync(call: ClientReadableStream<Res>, reason: string): void {
    this.options.logger.warn('watch out of step, resubscribing from a snapshot', { reason });
    this.position = { epoch: '', version: 0 };
    this.drop(call);
    this.connect();
  }

  private lost(call: ClientReadableStream<Res>, reason: string): void {
    if (call !== this.call || this.stopped) return;
    this.drop(call);
    const delayMs = this.backoff.next();
    this.setState('disconnected', `${reason}; retrying in ${delayMs} ms`);
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  private drop(call: ClientReadableStream<Res>): void {
    clearTimeout(this.silenceTimer);
    call.removeAllListeners('data');
    call.removeAllListeners('end');
    call.removeAllListeners('error');
    // A cancelled call still emits 'error'; swallow it, the call is already forgotten.
    call.on('error', () => undefined);
    call.cancel();
    if (this.call === call) this.call = undefined;
  }

  private armSilenceTimer(call: ClientReadableStream<Res>): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(
      () => this.lost(call, `no message for ${this.options.heartbeatTimeoutMs} ms`),
      this.options.heartbeatTimeoutMs,
    );
  }

  private setState(state: WatchState, detail: string): void {
    this.currentState = state;
    this.options.logger.info('watch state', { state, detail });
    this.options.onStateChange?.(state, detail);
  }
}
