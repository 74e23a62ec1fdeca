import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceType } from './resource-types';

/** A Kubernetes object as stored and served: JSON with `metadata`. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as the history (etcd's log) keeps it for resuming watches. */
export interface ChangeEvent {
  resourceVersion: number;
  type: ResourceType;
  eventType: WatchEventType;
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED), for label-selector transitions. */
  previous?: KubeObject;
}

export interface ObjectStoreOptions {
  /** The first resourceVersion handed out; history before it is "compacted" from the start. */
  initialResourceVersion?: number;
  /** Events kept for resuming watches; older ones are compacted away (410 Gone). */
  historyLimit?: number;
  now?: () => Date;
}

/**
 * The server's etcd: objects per type, one global resourceVersion counter, and the event
 * history that watches resume from. Everything is synchronous, so a watch that replays the
 * history and then subscribes never misses an event.
 */
export class ObjectStore {
  private currentRv: number;
  private compacted: number;
  private readonly objects = new Map<ResourceType, Map<string, KubeObject>>();
  private history: ChangeEvent[] = [];
  private readonly historyLimit: number;
  private readonly subscribers = new Set<(event: ChangeEvent) => void>();
  private readonly now: () => Date;

  constructor(options: ObjectStoreOptions = {}) {
    this.currentRv = options.initialResourceVersion ?? 1000;
    this.compacted = this.currentRv;
    this.historyLimit = options.historyLimit ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  get resourceVersion(): number {
    return this.currentRv;
  }

  /** Watches may resume from this resourceVersion or later; older ones get 410 Gone. */
  get oldestResumable(): number {
    return this.compacted;
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(type)?.values() ?? [])];
    return all.filter((o) => namespace === undefined || o.metadata.namespace === namespace).sort(byKey);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(type)?.get(key(namespace, name));
  }

  /** Stores a new object: uid, resourceVersion, generation and creationTimestamp are set here. */
  create(type: ResourceType, object: KubeObject): KubeObject {
    const rv = this.nextRv();
    const stored: KubeObject = structuredClone(object);
    stored.apiVersion = apiVersionOf(type);
    stored.kind = type.kind;
    stored.metadata = {
      ...stored.metadata,
      uid: randomUUID(),
      resourceVersion: String(rv),
      generation: 1,
      creationTimestamp: this.now().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    if (!type.namespaced) delete stored.metadata.namespace;
    this.bucket(type).set(key(stored.metadata.namespace, stored.metadata.name), stored);
    this.record({ resourceVersion: rv, type, eventType: 'ADDED', object: stored });
    return stored;
  }

  /** Replaces an existing object; identity fields are kept, generation moves with the spec. */
  replace(type: ResourceType, object: KubeObject): KubeObject {
    const previous = this.get(type, object.metadata.namespace, object.metadata.name);
    if (!previous) throw new Error(`replace of a missing object ${object.metadata.name}`);
    const rv = this.nextRv();
    const stored: KubeObject = structuredClone(object);
    stored.apiVersion = apiVersionOf(type);
    stored.kind = type.kind;
    const specChanged = JSON.stringify(withoutMetaAndStatus(previous)) !== JSON.stringify(withoutMetaAndStatus(stored));
    stored.metadata = {
      ...stored.metadata,
      uid: previous.metadata.uid,
      creationTimestamp: previous.metadata.creationTimestamp,
      generation: (previous.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      resourceVersion: String(rv),
    };
    if (!type.namespaced) delete stored.metadata.namespace;
    this.bucket(type).set(key(stored.metadata.namespace, stored.metadata.name), stored);
    this.record({ resourceVersion: rv, type, eventType: 'MODIFIED', object: stored, previous });
    return stored;
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const previous = this.get(type, namespace, name);
    if (!previous) return undefined;
    const rv = this.nextRv();
    this.bucket(type).delete(key(namespace, name));
    const tombstone: KubeObject = structuredClone(previous);
    tombstone.metadata.resourceVersion = String(rv);
    this.record({ resourceVersion: rv, type, eventType: 'DELETED', object: tombstone, previous });
    return tombstone;
  }

  /** Events of `type` after `since`, or undefined when the history no longer reaches back that far. */
  eventsSince(type: ResourceType, since: number): ChangeEvent[] | undefined {
    if (since < this.compacted) return undefined;
    return this.history.filter((e) => e.type === type && e.resourceVersion > since);
  }

  /** Drops the history up to now, as etcd compaction does: older resourceVersions get 410 Gone. */
  compact(): void {
    this.compacted = this.currentRv;
    this.history = [];
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  private nextRv(): number {
    this.currentRv += 1;
    return this.currentRv;
  }

  private record(event: ChangeEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compacted = (dropped[dropped.length - 1] as ChangeEvent).resourceVersion;
    }
    for (const listener of [...this.subscribers]) listener(event);
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    let bucket = this.objects.get(type);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(type, bucket);
    }
    return bucket;
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function byKey(a: KubeObject, b: KubeObject): number {
  return key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name));
}

function withoutMetaAndStatus(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}
