import { randomUUID } from 'node:crypto';
import type { StreamEvent, StreamPosition } from './stream-event';

export interface VersionedStreamOptions<S> {
  /** Builds a snapshot of the current state; called synchronously, so it matches `version`. */
  snapshot: () => S;
  /** Identifies this history; a new epoch makes every subscriber start from a snapshot. */
  epoch?: string;
  /** The version of the initial state. Seed it so versions never go backwards across restarts. */
  initialVersion?: number;
  /** How many deltas are kept for resuming subscribers; older positions get a snapshot. */
  historyLimit?: number;
}

/**
 * The server side of a snapshot-then-delta stream. The owner publishes one delta per change;
 * each subscriber reads at its own pace through a cursor (its last version), so a slow
 * subscriber never holds others back: when it falls behind the kept history it simply gets a
 * fresh snapshot.
 */
export class VersionedStream<S, D> {
  readonly epoch: string;
  private currentVersion: number;
  private readonly history: { version: number; delta: D }[] = [];
  private readonly historyLimit: number;
  private readonly buildSnapshot: () => S;
  private wake: { promise: Promise<void>; resolve: () => void };

  constructor(options: VersionedStreamOptions<S>) {
    this.epoch = options.epoch ?? randomUUID();
    this.currentVersion = options.initialVersion ?? 0;
    this.historyLimit = Math.max(1, options.historyLimit ?? 1024);
    this.buildSnapshot = options.snapshot;
    this.wake = createWake();
  }

  get version(): number {
    return this.currentVersion;
  }

  get position(): StreamPosition {
    return { epoch: this.epoch, version: this.currentVersion };
  }

  /** Records a change (already applied to the state `snapshot()` reads) and returns its version. */
  publish(delta: D): number {
    this.currentVersion += 1;
    this.history.push({ version: this.currentVersion, delta });
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    const { resolve } = this.wake;
    this.wake = createWake();
    resolve();
    return this.currentVersion;
  }

  /**
   * The cursor to start a subscriber from: its own version when it can be resumed with
   * deltas (same epoch, not ahead of us, not older than the history), else undefined, which
   * means "send a snapshot first".
   */
  resumeCursor(from?: Partial<StreamPosition>): number | undefined {
    if (!from || from.epoch !== this.epoch || from.version === undefined) return undefined;
    if (from.version > this.currentVersion) return undefined;
    if (from.version === this.currentVersion) return from.version;
    const oldest = this.history[0];
    if (!oldest || from.version < oldest.version - 1) return undefined;
    return from.version;
  }

  /**
   * The next event for a subscriber at `cursor` (undefined: it has nothing yet), or undefined
   * when it is up to date.
   */
  next(cursor: number | undefined): StreamEvent<S, D> | undefined {
    if (cursor === undefined || this.resumeCursor({ epoch: this.epoch, version: cursor }) === undefined) {
      return { kind: 'snapshot', epoch: this.epoch, version: this.currentVersion, snapshot: this.buildSnapshot() };
    }
    if (cursor >= this.currentVersion) return undefined;
    const oldest = this.history[0] as { version: number };
    const entry = this.history[cursor + 1 - oldest.version] as { version: number; delta: D };
    return { kind: 'delta', epoch: this.epoch, version: entry.version, delta: entry.delta };
  }

  /** Resolves at the next publish. */
  changed(): Promise<void> {
    return this.wake.promise;
  }
}

function createWake(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
