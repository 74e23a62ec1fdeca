/** What sources report about themselves; the app turns it into metrics. */
export interface SourceObserver {
  /** A list (initial, or a re-list after 410 Gone or an error) completed. */
  listed(kind: string, reason: ListReason, objects: number): void;
  /** A watch event was applied. */
  event(kind: string, type: string): void;
  /** A watch ended and is being resumed. */
  watchEnded(kind: string, reason: WatchEndReason): void;
  /** A call failed. */
  failed(kind: string, operation: 'list' | 'watch', err: Error): void;
  /** A file was (re)read. */
  fileLoaded(path: string, ok: boolean): void;
  synced(): void;
}

export type ListReason = 'initial' | 'gone' | 'error' | 'not-served';
export type WatchEndReason = 'closed' | 'gone' | 'error' | 'idle' | 'bookmark-timeout';

export const nullObserver: SourceObserver = {
  listed: () => undefined,
  event: () => undefined,
  watchEnded: () => undefined,
  failed: () => undefined,
  fileLoaded: () => undefined,
  synced: () => undefined,
};
