import type { ZoneDelta, ZoneSnapshot } from '@meridian/proto';
import { applyDeltaInPlace, EMPTY_ZONE_STATE, stateFromSnapshot, type ZoneState } from './zone-state';
import { ZoneUpdateError } from './zone-update-error';

/** One update as it travels from the source to whoever serves it. */
export type ZoneEvent =
  | { kind: 'snapshot'; epoch: string; version: number; snapshot: ZoneSnapshot }
  | { kind: 'delta'; epoch: string; version: number; delta: ZoneDelta };

/** Where the served data comes from and how that link is doing (mirrors dns.proto). */
export type SourceState = 'none' | 'file' | 'connecting' | 'synced' | 'disconnected';

export interface ZoneFeedListener {
  (state: ZoneState, version: number, event: ZoneEvent): void;
}

/**
 * The zone data of this process: applies snapshots and deltas in order (a delta must follow
 * the version it was made from), remembers where the data came from and when its source last
 * confirmed it, and tells listeners (the compiler, the worker pool) about every new state.
 */
export class ZoneFeed {
  private current: ZoneState = EMPTY_ZONE_STATE;
  private currentEpoch = '';
  private currentVersion = 0;
  private loaded = false;
  private confirmed: number | undefined;
  private source = '';
  private sourceStateValue: SourceState = 'none';
  private readonly listeners: ZoneFeedListener[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  get state(): ZoneState {
    return this.current;
  }
  get epoch(): string {
    return this.currentEpoch;
  }
  get version(): number {
    return this.currentVersion;
  }
  /** True once a snapshot (from records or a file) has been applied. */
  get hasData(): boolean {
    return this.loaded;
  }
  /** Milliseconds since the epoch when the source last confirmed the data, if ever. */
  get confirmedAtMs(): number | undefined {
    return this.confirmed;
  }
  get sourceName(): string {
    return this.source;
  }
  get sourceState(): SourceState {
    return this.sourceStateValue;
  }

  onChange(listener: ZoneFeedListener): void {
    this.listeners.push(listener);
  }

  setSource(state: SourceState, source?: string): void {
    this.sourceStateValue = state;
    if (source !== undefined) this.source = source;
  }

  /** The source vouched for the data as it is (a heartbeat, or any update). */
  confirm(): void {
    this.confirmed = this.now();
  }

  apply(event: ZoneEvent): void {
    let next: ZoneState;
    if (event.kind === 'snapshot') {
      next = stateFromSnapshot(event.snapshot);
    } else {
      if (!this.loaded) throw new ZoneUpdateError(`delta ${event.version} arrived before any snapshot`);
      if (event.epoch !== this.currentEpoch || event.version !== this.currentVersion + 1) {
        throw new ZoneUpdateError(`delta ${event.epoch}@${event.version} does not follow ${this.currentEpoch}@${this.currentVersion}`);
      }
      // The feed owns its state (listeners get each version and keep none), so deltas change it in place.
      next = applyDeltaInPlace(this.current, event.delta);
    }
    this.current = next;
    this.currentEpoch = event.epoch;
    this.currentVersion = event.version;
    this.loaded = true;
    this.confirm();
    for (const listener of this.listeners) listener(next, event.version, event);
  }
}
