import type { KubeObjectJson, ResourceKind } from '@meridian/gslb-resources';

export interface ListPage {
  items: KubeObjectJson[];
  /** The list's resourceVersion: a watch from here misses nothing. */
  resourceVersion: string;
  /** Present when more pages follow. */
  continueToken?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object; a Status for ERROR; only metadata.resourceVersion for BOOKMARK. */
  object: KubeObjectJson;
}

export interface WatchHandle {
  abort(): void;
}

export interface WatchOptions {
  namespace?: string;
  resourceVersion: string;
  /** Server-side end of the watch; the client then resumes. */
  timeoutSeconds: number;
}

/**
 * The Kubernetes API as the reflector needs it: list pages and a watch stream. The real
 * adapter is @kubernetes/client-node; tests may use any HTTP client against the test server.
 */
export interface KubeApi {
  /** The API server URL, for logs. */
  readonly server: string;
  list(kind: ResourceKind, options: { namespace?: string; limit: number; continueToken?: string }): Promise<ListPage>;
  /**
   * Opens a watch with bookmarks allowed. `onDone` is called once when it ends: without an
   * error when the server closed it, with a KubeApiError otherwise.
   */
  watch(kind: ResourceKind, options: WatchOptions, onEvent: (event: WatchEvent) => void, onDone: (err?: KubeApiError) => void): Promise<WatchHandle>;
}

/** An API call that failed; `statusCode` is the HTTP status when there was one. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    message: string,
    readonly statusCode?: number,
    /** The kind is not served at all (CRD or API group not installed). */
    readonly notServed = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get gone(): boolean {
    return this.statusCode === 410;
  }
}
