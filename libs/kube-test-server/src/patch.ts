/** Thrown when a patch cannot be applied; the server answers 422 or 400 with its message. */
export class PatchError extends Error {
  override readonly name = 'PatchError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** RFC 7386 JSON merge patch (also what strategic-merge and apply patches become here). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(target) as Json;
  for (const raw of operations as JsonPatchOperation[]) {
    switch (raw.op) {
      case 'add':
        doc = add(doc, pointer(raw.path), structuredClone(raw.value) as Json);
        break;
      case 'remove':
        doc = remove(doc, pointer(raw.path));
        break;
      case 'replace':
        doc = add(remove(doc, pointer(raw.path)), pointer(raw.path), structuredClone(raw.value) as Json);
        break;
      case 'move': {
        const value = get(doc, pointer(raw.from ?? ''));
        doc = add(remove(doc, pointer(raw.from ?? '')), pointer(raw.path), value);
        break;
      }
      case 'copy':
        doc = add(doc, pointer(raw.path), structuredClone(get(doc, pointer(raw.from ?? ''))));
        break;
      case 'test':
        if (JSON.stringify(get(doc, pointer(raw.path))) !== JSON.stringify(raw.value)) {
          throw new PatchError(`test operation failed at ${raw.path}`);
        }
        break;
      default:
        throw new PatchError(`unknown JSON patch operation ${JSON.stringify((raw as { op: unknown }).op)}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: Json, path: string[]): Json {
  let node: Json = doc;
  for (const key of path) {
    if (Array.isArray(node)) node = node[Number(key)] as Json;
    else if (isObject(node)) node = (node as Record<string, Json>)[key] as Json;
    else node = undefined as unknown as Json;
    if (node === undefined) throw new PatchError(`path /${path.join('/')} does not exist`);
  }
  return node;
}

function add(doc: Json, path: string[], value: Json): Json {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new PatchError(`index ${key} out of range`);
    parent.splice(index, 0, value);
  } else if (isObject(parent)) {
    (parent as Record<string, Json>)[key] = value;
  } else {
    throw new PatchError(`cannot add to /${path.join('/')}`);
  }
  return doc;
}

function remove(doc: Json, path: string[]): Json {
  if (path.length === 0) return null;
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw new PatchError(`index ${key} out of range`);
    parent.splice(index, 1);
  } else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, key)) {
    delete (parent as Record<string, Json>)[key];
  } else {
    throw new PatchError(`path /${path.join('/')} does not exist`);
  }
  return doc;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
