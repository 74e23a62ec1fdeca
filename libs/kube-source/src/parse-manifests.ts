import { at, isRecord, keyOf, kindOf, resourceName, supportedKinds, type KubeObjectJson, type SpecProblem, type StoredObject } from '@meridian/gslb-resources';
import { parseAllDocuments } from 'yaml';

export interface ParsedManifests {
  objects: StoredObject[];
  problems: SpecProblem[];
}

/**
 * Reads YAML documents shaped like Kubernetes objects (a `kind: List` is read item by item).
 * A document that is not valid YAML, or is not an object Meridian reads, is reported with its
 * index and line; every other document is kept.
 */
export function parseManifests(text: string, path: string): ParsedManifests {
  const source = `file:${path}`;
  const objects: StoredObject[] = [];
  const problems: SpecProblem[] = [];
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((doc, index) => {
    const where = `document ${index + 1}`;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const line = error.linePos?.[0]?.line;
        problems.push({ source, resource: where, field: '', message: `YAML syntax error${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]}; fix the document, the others keep working` });
      }
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const items = isRecord(value) && value['kind'] === 'List' && Array.isArray(value['items']) ? value['items'] : [value];
    items.forEach((item: unknown, i: number) => {
      const at_ = items.length > 1 || item !== value ? `${where} item ${i + 1}` : where;
      const object = toStored(item, at_, source, problems);
      if (object) objects.push(object);
    });
  });
  return { objects, problems };
}

function toStored(value: unknown, where: string, source: string, problems: SpecProblem[]): StoredObject | undefined {
  if (!isRecord(value)) {
    problems.push({ source, resource: where, field: '', message: `is not an object (got ${typeof value}); fix: write a Kubernetes object with apiVersion, kind and metadata` });
    return undefined;
  }
  const json = value as KubeObjectJson;
  const kind = kindOf(json.apiVersion, json.kind);
  if (!kind) {
    problems.push({
      source,
      resource: where,
      field: 'kind',
      message: `${JSON.stringify(json.apiVersion)} ${JSON.stringify(json.kind)} is not a kind Meridian reads; fix: use one of ${supportedKinds().join(', ')}`,
    });
    return undefined;
  }
  const name = at(json, 'metadata', 'name');
  if (typeof name !== 'string' || name === '') {
    problems.push({ source, resource: where, field: 'metadata.name', message: `is missing (got ${JSON.stringify(name)}); fix: give the ${kind.kind} a name` });
    return undefined;
  }
  const namespace = at(json, 'metadata', 'namespace');
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) {
    problems.push({ source, resource: resourceName(kind.kind, '?', name), field: 'metadata.namespace', message: `must be a name (got ${JSON.stringify(namespace)}); fix: set it or leave it out for "default"` });
    return undefined;
  }
  return { kind, namespace: (namespace as string | undefined) ?? 'default', name, json, origin: source };
}

/** Keeps the first definition of each object; later ones are reported. */
export function withoutDuplicates(objects: readonly StoredObject[], problems: SpecProblem[]): StoredObject[] {
  const first = new Map<string, StoredObject>();
  for (const object of objects) {
    const key = keyOf(object);
    const earlier = first.get(key);
    if (earlier) {
      problems.push({
        source: object.origin,
        resource: resourceName(object.kind.kind, object.namespace, object.name),
        field: 'metadata.name',
        message: `is defined more than once (first in ${earlier.origin}); fix: remove one; the first definition is used`,
      });
      continue;
    }
    first.set(key, object);
  }
  return [...first.values()];
}
