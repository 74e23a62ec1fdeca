/** The JSON of a Kubernetes object, as the API serves it or a file holds it; nothing is trusted. */
export interface KubeObjectJson {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: {
    name?: unknown;
    namespace?: unknown;
    resourceVersion?: unknown;
    labels?: unknown;
    annotations?: unknown;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** `namespace/name`, the way k8gb names a Gslb. */
export type NamespacedName = string;

export function namespacedName(namespace: string, name: string): NamespacedName {
  return `${namespace}/${name}`;
}

/** Reads a path of plain-object keys; anything that is not an object on the way gives undefined. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string map such as labels or annotations; non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
