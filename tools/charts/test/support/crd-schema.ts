import { createRequire } from 'node:module';
import type { KubeObject } from './manifests';

/**
 * Validates custom resources against the openAPIV3Schema of their CustomResourceDefinition with
 * ajv, as the API server would with strict field validation: types, enums, required fields,
 * patterns and ranges, and unknown fields rejected unless the schema preserves them.
 *
 * ajv is not a declared dependency; it is in node_modules through eslint (v6) and
 * kubernetes-models (v8). The adapter below works with either major version.
 */
interface AjvError {
  instancePath?: string;
  dataPath?: string;
  message?: string;
  params?: Record<string, unknown>;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  compile(schema: object): AjvValidate;
}
type AjvConstructor = new (options: object) => AjvInstance;

function ajv(): AjvInstance {
  const mod = createRequire(__filename)('ajv') as AjvConstructor & { default?: AjvConstructor };
  const Ajv = mod.default ?? mod;
  // v6: nullable + unknownFormats; v8: strict false (x-kubernetes-* keywords) + validateFormats false
  // (int32, int64, date-time are not JSON Schema formats it knows without ajv-formats).
  return new Ajv({ allErrors: true, nullable: true, unknownFormats: 'ignore', strict: false, validateFormats: false, logger: false });
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: Record<string, unknown>;
}

export interface Crd extends KubeObject {
  spec: { group: string; names: { kind: string; plural: string }; scope: string; versions: CrdVersion[] };
}

/** openAPIV3Schema → JSON Schema that rejects unknown fields where the API server would prune or reject them. */
export function strictSchema(schema: Record<string, unknown>, root = true): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  const properties = schema['properties'] as Record<string, Record<string, unknown>> | undefined;
  if (properties) {
    out['properties'] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, strictSchema(v, false)]));
    if (root) {
      // apiVersion, kind and metadata are always allowed at the top.
      out['properties'] = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out['properties'] as object) };
    }
    if (schema['x-kubernetes-preserve-unknown-fields'] !== true && schema['additionalProperties'] === undefined) out['additionalProperties'] = false;
  }
  if (schema['items'] && typeof schema['items'] === 'object') out['items'] = strictSchema(schema['items'] as Record<string, unknown>, false);
  if (schema['additionalProperties'] && typeof schema['additionalProperties'] === 'object') {
    out['additionalProperties'] = strictSchema(schema['additionalProperties'] as Record<string, unknown>, false);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(schema[key])) out[key] = (schema[key] as Record<string, unknown>[]).map((s) => strictSchema(s, false));
  }
  return out;
}

/** Validators for every served version of every CRD, keyed by `group/version Kind`. */
export class CrdValidators {
  private readonly validators = new Map<string, AjvValidate>();

  constructor(crds: readonly Crd[]) {
    const instance = ajv();
    for (const crd of crds) {
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!version.served || !schema) continue;
        this.validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, instance.compile(strictSchema(schema)));
      }
    }
  }

  knows(object: KubeObject): boolean {
    return this.validators.has(`${object.apiVersion} ${object.kind}`);
  }

  kinds(): string[] {
    return [...this.validators.keys()].sort();
  }

  /** The problems of an object ("/spec/strategy/type: must be equal to one of the allowed values"), empty when valid. */
  problems(object: KubeObject): string[] {
    const validate = this.validators.get(`${object.apiVersion} ${object.kind}`);
    if (!validate) return [`no CRD defines ${object.apiVersion} ${object.kind}`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra = e.params?.['additionalProperty'] ?? e.params?.['allowedValues'];
      return `${pointer(e)}: ${e.message ?? 'invalid'}${extra === undefined ? '' : ` (${JSON.stringify(extra)})`}`;
    });
  }
}

/** The JSON pointer of an error: ajv 8 gives instancePath (/spec/x/0), ajv 6 dataPath (.spec.x[0] or ['a-b']). */
function pointer(e: AjvError): string {
  if (e.instancePath !== undefined) return e.instancePath;
  return (e.dataPath ?? '').replace(/\[(\d+)\]/g, '/$1').replace(/\['([^']*)'\]/g, '/$1').replace(/\./g, '/');
}
