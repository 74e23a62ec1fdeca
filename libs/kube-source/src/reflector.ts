import { at, type KubeObjectJson, type ResourceKind, type ResourceSink, type StoredObject } from '@meridian/gslb-resources';
import type { Logger } from '@meridian/logging';
import { RetryBackoff, sleep } from './backoff';
import { KubeApiError, type KubeApi, type WatchEvent, type WatchHandle } from './kube-api';
import type { ListReason, SourceObserver, WatchEndReason } from './source-observer';

export interface ReflectorOptions {
  api: KubeApi;
  kind: ResourceKind;
  /** One namespace, or every namespace when undefined. */
  namespace?: string;
  sink: ResourceSink;
  /** The SpecProblem source of the objects, `kubernetes`. */
  origin: string;
  logger: Logger;
  observer: SourceObserver;
  /** Called once, after the first list has been delivered (or the kind found not served). */
  onSynced: () => void;
  /** Page size of lists. */
  pageSize?: number;
  /** The watch's server-side timeout; each watch picks one between this and twice it. */
  watchTimeoutSeconds?: number;
  /** A watch with no event (bookmarks included) for this long is treated as dead. */
  idleTimeoutMs?: number;
  /** How long to wait before asking again for a kind the server does not serve. */
  notServedRetryMs?: number;
  backoff?: RetryBackoff;
  random?: () => number;
}

type WatchOutcome = { reason: WatchEndReason; err?: KubeApiError; events: number };

/**
 * Keeps one kind (in one namespace, or all) mirrored into the sink, as client-go's reflector
 * does: list, then watch from the list's resourceVersion with bookmarks; after a watch ends,
 * resume from the last resourceVersion seen; after 410 Gone, list again and replace. Errors
 * back off with jitter. A kind the server does not serve (a CRD not installed) counts as empty
 * and is asked for again later.
 */
export class Reflector {
  private resourceVersion: string | undefined;
  private readonly abort = new AbortController();
  private handle: WatchHandle | undefined;
  private running: Promise<void> | undefined;
  private synced = false;
  private readonly scope: string;
  private readonly backoff: RetryBackoff;
  private readonly log: Logger;

  constructor(private readonly options: ReflectorOptions) {
    this.scope = `kubernetes:${options.kind.id}:${options.namespace ?? '*'}`;
    this.backoff = options.backoff ?? new RetryBackoff({ initialMs: 250, maxMs: 30_000 }, options.random);
    this.log = options.logger.child({ kind: `${options.kind.group || 'core'}/${options.kind.kind}`, ...(options.namespace ? { namespace: options.namespace } : {}) });
  }

  /** The resourceVersion a resumed watch would start from; undefined means "list first". */
  get position(): string | undefined {
    return this.resourceVersion;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.handle?.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    let listReason: ListReason = 'initial';
    while (!this.abort.signal.aborted) {
      if (this.resourceVersion === undefined) {
        try {
          await this.list(listReason);
        } catch (err) {
          const error = asApiError(err);
          if (error.notServed) {
            this.options.sink.replace(this.scope, []);
            this.markSynced();
            this.options.observer.listed(this.options.kind.kind, 'not-served', 0);
            this.log.info('kind not served by the API server; treating it as empty and asking again later', { reason: error.message });
            await sleep(this.options.notServedRetryMs ?? 60_000, this.abort.signal);
            continue;
          }
          this.options.observer.failed(this.options.kind.kind, 'list', error);
          const delay = this.backoff.next();
          this.log.warn('list failed; retrying', { err: error, retryInMs: delay });
          listReason = 'error';
          await sleep(delay, this.abort.signal);
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (this.abort.signal.aborted) break;
      this.options.observer.watchEnded(this.options.kind.kind, outcome.reason);
      if (outcome.reason === 'gone') {
        this.log.info('watch history expired (410 Gone); listing again', { resourceVersion: this.resourceVersion });
        this.resourceVersion = undefined;
        listReason = 'gone';
        continue;
      }
      if (outcome.events > 0) this.backoff.reset();
      if (outcome.reason === 'closed' && outcome.events > 0) continue;
      // An error, a watch that ended without delivering anything, or a silent one: back off, then resume.
      const delay = outcome.reason === 'closed' ? Math.min(this.backoff.next(), 1000) : this.backoff.next();
      if (outcome.err) {
        this.options.observer.failed(this.options.kind.kind, 'watch', outcome.err);
        this.log.warn('watch failed; resuming', { err: outcome.err, resourceVersion: this.resourceVersion, retryInMs: delay });
      } else {
        this.log.debug('watch ended; resuming', { reason: outcome.reason, resourceVersion: this.resourceVersion, retryInMs: delay });
      }
      await sleep(delay, this.abort.signal);
    }
  }

  private async list(reason: ListReason): Promise<void> {
    const items: KubeObjectJson[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.api.list(this.options.kind, {
        ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
        limit: this.options.pageSize ?? 500,
        ...(continueToken ? { continueToken } : {}),
      });
      items.push(...page.items);
      continueToken = page.continueToken;
      resourceVersion = page.resourceVersion;
    } while (continueToken && !this.abort.signal.aborted);
    if (this.abort.signal.aborted) return;
    this.options.sink.replace(
      this.scope,
      items.flatMap((json) => {
        const object = this.toStored(json);
        return object ? [object] : [];
      }),
    );
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.options.observer.listed(this.options.kind.kind, reason, items.length);
    this.log.info('listed', { objects: items.length, resourceVersion, reason });
    this.markSynced();
  }

  private async watchOnce(): Promise<WatchOutcome> {
    const base = this.options.watchTimeoutSeconds ?? 300;
    const random = this.options.random ?? Math.random;
    const timeoutSeconds = Math.round(base * (1 + random()));
    const idleTimeoutMs = this.options.idleTimeoutMs ?? (timeoutSeconds + 30) * 1000;
    let events = 0;
    return new Promise<WatchOutcome>((resolve) => {
      let settled = false;
      let idleTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: Omit<WatchOutcome, 'events'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(idleTimer);
        this.abort.signal.removeEventListener('abort', onAbort);
        this.handle?.abort();
        this.handle = undefined;
        resolve({ ...outcome, events });
      };
      const armIdle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish({ reason: 'idle' }), idleTimeoutMs);
      };
      const onAbort = () => finish({ reason: 'closed' });
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      armIdle();
      const onEvent = (event: WatchEvent) => {
        if (settled) return;
        armIdle();
        if (event.type === 'ERROR') {
          const code = at(event.object, 'code');
          const message = String(at(event.object, 'message') ?? 'watch error');
          finish(code === 410 ? { reason: 'gone' } : { reason: 'error', err: new KubeApiError(message, typeof code === 'number' ? code : undefined) });
          return;
        }
        events++;
        this.apply(event);
      };
      const onDone = (err?: KubeApiError) => {
        if (!err) finish({ reason: 'closed' });
        else if (err.gone) finish({ reason: 'gone' });
        else finish({ reason: 'error', err });
      };
      this.options.api
        .watch(
          this.options.kind,
          { ...(this.options.namespace ? { namespace: this.options.namespace } : {}), resourceVersion: this.resourceVersion ?? '', timeoutSeconds },
          onEvent,
          onDone,
        )
        .then((handle) => {
          if (settled) handle.abort();
          else this.handle = handle;
        })
        .catch((err: unknown) => finish({ reason: 'error', err: asApiError(err) }));
    });
  }

  private apply(event: WatchEvent): void {
    const rv = at(event.object, 'metadata', 'resourceVersion');
    if (event.type === 'BOOKMARK') {
      if (typeof rv === 'string' && rv !== '') this.resourceVersion = rv;
      this.options.observer.event(this.options.kind.kind, event.type);
      return;
    }
    const object = this.toStored(event.object);
    if (!object) return;
    if (event.type === 'DELETED') this.options.sink.remove(this.scope, object.kind.id, object.namespace, object.name);
    else this.options.sink.upsert(this.scope, object);
    if (typeof rv === 'string' && rv !== '') this.resourceVersion = rv;
    this.options.observer.event(this.options.kind.kind, event.type);
  }

  private toStored(json: KubeObjectJson): StoredObject | undefined {
    const name = at(json, 'metadata', 'name');
    const namespace = at(json, 'metadata', 'namespace');
    if (typeof name !== 'string') return undefined;
    return { kind: this.options.kind, namespace: typeof namespace === 'string' ? namespace : '', name, json, origin: this.options.origin };
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.options.onSynced();
  }
}

function asApiError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  return new KubeApiError(err instanceof Error ? err.message : String(err), undefined, false, { cause: err });
}
