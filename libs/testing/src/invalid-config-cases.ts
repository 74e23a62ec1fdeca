import type { z } from 'zod';

/** One bad value for one field of a config schema: the document to load, and the field it must name. */
export interface InvalidConfigCase {
  /** Dotted path of the field, for example `dns.tcp.maxConnections`. */
  field: string;
  /** What is wrong with the value, for the test's name. */
  kind: string;
  value: unknown;
  /** The whole config document: `value` at `field`, nothing else set. */
  document: Record<string, unknown>;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, unknown>;
  options?: z.ZodType[];
  values?: unknown[];
  checks?: { _zod: { def: CheckDef } }[];
}

interface CheckDef {
  check: string;
  value?: number | bigint;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional, default, prefault and pipe (the input side): the schema the value meets. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable' || def.type === 'readonly') && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}

function setAt(path: readonly string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else node = node[key] = {} as Record<string, unknown>;
  });
  return root;
}

/** Values a leaf schema must reject: the wrong type, and each bound or format it checks, broken. */
function badLeafValues(schema: z.ZodType): [kind: string, value: unknown][] {
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const out: [string, unknown][] = [];
  switch (def.type) {
    case 'number': {
      out.push(['not a number', 'twelve']);
      for (const c of checks) {
        if (c.check === 'greater_than' && typeof c.value === 'number') out.push(['below the minimum', c.inclusive ? c.value - 1 : c.value]);
        if (c.check === 'less_than' && typeof c.value === 'number') out.push(['above the maximum', c.inclusive ? c.value + 1 : c.value]);
        if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32')) out.push(['not a whole number', 1.5]);
      }
      break;
    }
    case 'string': {
      out.push(['not a string', 12345]);
      for (const c of checks) {
        if (c.check === 'min_length' && (c.minimum ?? 0) > 0) out.push(['too short', ''.padEnd((c.minimum ?? 1) - 1, 'a')]);
        if (c.check === 'max_length' && c.maximum !== undefined) out.push(['too long', 'a'.repeat(c.maximum + 1)]);
        if (c.check === 'string_format' && c.pattern) out.push(['not in the required format', 'Not Valid!']);
      }
      break;
    }
    case 'boolean':
      out.push(['not a boolean', 'yes']);
      break;
    case 'enum':
      out.push(['not one of the allowed values', 'no-such-value']);
      break;
    case 'literal':
      out.push(['not the allowed value', 'no-such-value']);
      break;
    case 'array':
      out.push(['not a list', 'one,two']);
      break;
    case 'union':
      out.push(['none of the allowed shapes', { 'no-such-field': true }]);
      break;
    case 'object':
      out.push(['not a mapping', 'text']);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Every bad value worth trying for every field of a zod config schema: for each leaf, the wrong
 * type and each bound or format it checks; for each section (object), the wrong type and an
 * unknown field; for each list, the wrong type and a list holding one bad element. Each case
 * sets only that field, so a loader must reject it naming that field.
 */
export function invalidConfigCases(schema: z.ZodType): InvalidConfigCase[] {
  const cases: InvalidConfigCase[] = [];
  const visit = (node: z.ZodType, path: string[]): void => {
    const s = unwrap(node);
    const def = defOf(s);
    if (def.type === 'object' && def.shape) {
      if (path.length > 0) {
        cases.push({ field: path.join('.'), kind: 'not a mapping', value: 'text', document: setAt(path, 'text') });
      }
      const unknown = [...path, 'noSuchField'];
      cases.push({ field: unknown.join('.'), kind: 'an unknown field', value: 1, document: setAt(unknown, 1) });
      for (const [key, child] of Object.entries(def.shape)) visit(child, [...path, key]);
      return;
    }
    if (def.type === 'array' && def.element) {
      cases.push({ field: path.join('.'), kind: 'not a list', value: 'one,two', document: setAt(path, 'one,two') });
      const element = unwrap(def.element);
      if (defOf(element).type === 'object') return; // list of sections: their fields need a valid sibling set; the wrong type is enough here
      for (const [kind, value] of badLeafValues(element)) {
        cases.push({ field: `${path.join('.')}.0`, kind: `an element ${kind}`, value, document: setAt(path, [value]) });
      }
      return;
    }
    for (const [kind, value] of badLeafValues(s)) cases.push({ field: path.join('.'), kind, value, document: setAt(path, value) });
  };
  visit(schema, []);
  return cases;
}
