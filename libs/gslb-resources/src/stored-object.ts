import type { KubeObjectJson } from './kube-object';
import type { KindId, ResourceKind } from './resource-kinds';

/** One object as a source delivered it: its kind, identity, JSON and where it came from. */
export interface StoredObject {
  kind: ResourceKind;
  namespace: string;
  name: string;
  json: KubeObjectJson;
  /** The SpecProblem source: `file:/path` or `kubernetes`. */
  origin: string;
}

export function objectKey(kind: KindId, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function keyOf(object: Pick<StoredObject, 'kind' | 'namespace' | 'name'>): string {
  return objectKey(object.kind.id, object.namespace, object.name);
}
