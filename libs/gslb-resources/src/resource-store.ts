import { at } from './kube-object';
import type { KindId } from './resource-kinds';
import type { ResourceSink } from './resource-source';
import { sortProblems, type SpecProblem } from './spec-problem';
import { keyOf, objectKey, type StoredObject } from './stored-object';

/** Read access to the current objects, for resolving Gslbs and judging readiness. */
export interface ResourceView {
  get(kind: KindId, namespace: string, name: string): StoredObject | undefined;
  list(kind: KindId, namespace?: string): StoredObject[];
  /** The EndpointSlices labelled `kubernetes.io/service-name=<service>` in `namespace`. */
  endpointSlicesOf(namespace: string, service: string): StoredObject[];
  /** Problems the sources found while reading (broken documents, unreadable files). */
  sourceProblems(): SpecProblem[];
}

/** What one mutation of the store changed. */
export interface StoreChange {
  /** Keys (`kind/namespace/name`) of the objects added, changed or removed. */
  keys: string[];
  problemsChanged: boolean;
  /** True on the change that completed the first sync. */
  synced: boolean;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The objects every source fills, in memory, with an index of EndpointSlices by Service.
 * Listeners hear every change synchronously; identical re-deliveries (a relist) are not changes.
 */
export class ResourceStore implements ResourceSink, ResourceView {
  private readonly objects = new Map<string, { object: StoredObject; scope: string }>();
  private readonly byScope = new Map<string, Set<string>>();
  private readonly byKind = new Map<KindId, Set<string>>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly problemsByScope = new Map<string, SpecProblem[]>();
  private readonly listeners: ((change: StoreChange) => void)[] = [];
  private isSynced = false;

  /** Whether the source has delivered its initial state. */
  isInitiallySynced(): boolean {
    return this.isSynced;
  }

  get size(): number {
    return this.objects.size;
  }

  onChange(listener: (change: StoreChange) => void): void {
    this.listeners.push(listener);
  }

  get(kind: KindId, namespace: string, name: string): StoredObject | undefined {
    return this.objects.get(objectKey(kind, namespace, name))?.object;
  }

  list(kind: KindId, namespace?: string): StoredObject[] {
    const out: StoredObject[] = [];
    for (const key of this.byKind.get(kind) ?? []) {
      const entry = this.objects.get(key);
      if (entry && (namespace === undefined || entry.object.namespace === namespace)) out.push(entry.object);
    }
    return out.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  }

  endpointSlicesOf(namespace: string, service: string): StoredObject[] {
    const keys = this.slicesByService.get(`${namespace}/${service}`);
    if (!keys) return [];
    return [...keys].map((k) => this.objects.get(k)?.object).filter((o): o is StoredObject => o !== undefined);
  }

  sourceProblems(): SpecProblem[] {
    return sortProblems([...this.problemsByScope.values()].flat());
  }

  replace(scope: string, objects: readonly StoredObject[], problems?: readonly SpecProblem[]): void {
    const keys: string[] = [];
    const incoming = new Set(objects.map(keyOf));
    for (const key of [...(this.byScope.get(scope) ?? [])]) {
      if (!incoming.has(key) && this.delete(key)) keys.push(key);
    }
    for (const object of objects) if (this.put(scope, object)) keys.push(keyOf(object));
    const problemsChanged = problems !== undefined && this.putProblems(scope, problems);
    this.emit(keys, problemsChanged);
  }

  upsert(scope: string, object: StoredObject): void {
    if (this.put(scope, object)) this.emit([keyOf(object)], false);
  }

  remove(_scope: string, kind: KindId, namespace: string, name: string): void {
    const key = objectKey(kind, namespace, name);
    if (this.delete(key)) this.emit([key], false);
  }

  setProblems(scope: string, problems: readonly SpecProblem[]): void {
    if (this.putProblems(scope, problems)) this.emit([], true);
  }

  synced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    for (const listener of this.listeners) listener({ keys: [], problemsChanged: false, synced: true });
  }

  private put(scope: string, object: StoredObject): boolean {
    const key = keyOf(object);
    const existing = this.objects.get(key);
    if (existing && existing.scope === scope && sameObject(existing.object, object)) return false;
    if (existing) this.unindex(key, existing.object, existing.scope);
    this.objects.set(key, { object, scope });
    setOf(this.byScope, scope).add(key);
    setOf(this.byKind, object.kind.id).add(key);
    const service = serviceOf(object);
    if (service) setOf(this.slicesByService, service).add(key);
    return true;
  }

  private delete(key: string): boolean {
    const existing = this.objects.get(key);
    if (!existing) return false;
    this.unindex(key, existing.object, existing.scope);
    this.objects.delete(key);
    return true;
  }

  private unindex(key: string, object: StoredObject, scope: string): void {
    this.byScope.get(scope)?.delete(key);
    this.byKind.get(object.kind.id)?.delete(key);
    const service = serviceOf(object);
    if (service) this.slicesByService.get(service)?.delete(key);
  }

  private putProblems(scope: string, problems: readonly SpecProblem[]): boolean {
    const before = JSON.stringify(this.problemsByScope.get(scope) ?? []);
    const sorted = sortProblems(problems);
    if (JSON.stringify(sorted) === before) return false;
    if (sorted.length === 0) this.problemsByScope.delete(scope);
    else this.problemsByScope.set(scope, sorted);
    return true;
  }

  private emit(keys: string[], problemsChanged: boolean): void {
    if (keys.length === 0 && !problemsChanged) return;
    for (const listener of this.listeners) listener({ keys, problemsChanged, synced: false });
  }
}

function setOf<K>(map: Map<K, Set<string>>, key: K): Set<string> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function serviceOf(object: StoredObject): string | undefined {
  if (object.kind.id !== 'endpointslice') return undefined;
  const service = at(object.json, 'metadata', 'labels', SERVICE_NAME_LABEL);
  return typeof service === 'string' ? `${object.namespace}/${service}` : undefined;
}

/** Same resourceVersion means the same object; without one (files), compare the JSON. */
function sameObject(a: StoredObject, b: StoredObject): boolean {
  if (a.origin !== b.origin) return false;
  const rvA = at(a.json, 'metadata', 'resourceVersion');
  const rvB = at(b.json, 'metadata', 'resourceVersion');
  if (typeof rvA === 'string' && rvA !== '' && typeof rvB === 'string' && rvB !== '') return rvA === rvB;
  return a.json === b.json || JSON.stringify(a.json) === JSON.stringify(b.json);
}
