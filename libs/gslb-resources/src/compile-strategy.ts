import {
  STRATEGY_TYPES,
  validateStrategySpec,
  WEIGHTED_MODES,
  WHEN_ALL_UNHEALTHY_MODES,
  type StrategySpec,
  type WeightedMode,
  type WhenAllUnhealthy,
} from '@meridian/strategies';
import { annotationField, MERIDIAN_ANNOTATIONS } from './annotations';
import { isRecord } from './kube-object';
import { fieldProblem, type FieldProblem } from './spec-problem';

/** What a Gslb gets when it does not say: k8gb's behaviour, unless the region config says otherwise. */
export interface StrategyDefaults {
  whenAllUnhealthy: WhenAllUnhealthy;
  weightedMode: WeightedMode;
  dnsTtlSeconds: number;
}

export const K8GB_STRATEGY_DEFAULTS: StrategyDefaults = { whenAllUnhealthy: 'empty', weightedMode: 'reorderAll', dnsTtlSeconds: 30 };

/** The k8gb strategy fields, wherever they came from (a Gslb spec or Ingress annotations), with their paths. */
export interface StrategyFields {
  type: { value: unknown; field: string };
  primaryGeoTag: { value: unknown; field: string };
  weight: { value: unknown; field: string };
  dnsTtlSeconds: { value: unknown; field: string };
}

export interface CompileStrategyOptions {
  defaults: StrategyDefaults;
  /** Known regions; when given, every geotag named must be one of them. */
  knownGeoTags?: readonly string[];
}

/**
 * Compiles k8gb's strategy fields plus Meridian's annotations into a StrategySpec, listing every
 * problem (each naming the field or annotation, the value and the fix). Undefined when invalid.
 */
export function compileStrategy(
  fields: StrategyFields,
  annotations: Record<string, string>,
  options: CompileStrategyOptions,
  problems: FieldProblem[],
): StrategySpec | undefined {
  const before = problems.length;
  const type = fields.type.value;
  if (typeof type !== 'string' || !(STRATEGY_TYPES as readonly string[]).includes(type)) {
    problems.push(fieldProblem(fields.type.field, type, type === undefined ? 'is required' : 'is not a known strategy type', `use one of: ${STRATEGY_TYPES.join(', ')}`));
  }

  let primaryGeoTag: string | string[] | undefined;
  const primary = fields.primaryGeoTag.value;
  if (primary !== undefined && primary !== '') {
    if (typeof primary === 'string') primaryGeoTag = primary.trim();
    else problems.push(fieldProblem(fields.primaryGeoTag.field, primary, 'must be one geotag', 'write primaryGeoTag: eu; put an ordered list in the meridian.io/failover-order annotation'));
  }
  const orderText = annotations[MERIDIAN_ANNOTATIONS.failoverOrder];
  const orderField = annotationField(MERIDIAN_ANNOTATIONS.failoverOrder);
  if (orderText !== undefined) {
    const order = orderText.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (order.length === 0) {
      problems.push(fieldProblem(orderField, orderText, 'lists no region', 'list regions in order, e.g. "eu,us,za"'));
    } else if (typeof primaryGeoTag === 'string' && primaryGeoTag !== order[0]) {
      problems.push(fieldProblem(orderField, orderText, `must start with spec.strategy.primaryGeoTag "${primaryGeoTag}"`, `start the list with ${primaryGeoTag}, or remove primaryGeoTag`));
    } else {
      primaryGeoTag = order;
    }
  }

  const weight = compileWeights(fields.weight, problems);

  let dnsTtlSeconds = options.defaults.dnsTtlSeconds;
  const ttl = fields.dnsTtlSeconds.value;
  if (ttl !== undefined && ttl !== '' && ttl !== 0) {
    const parsed = typeof ttl === 'string' && /^\d+$/.test(ttl.trim()) ? Number(ttl) : ttl;
    if (typeof parsed === 'number' && Number.isInteger(parsed) && parsed >= 0) dnsTtlSeconds = parsed;
    else problems.push(fieldProblem(fields.dnsTtlSeconds.field, ttl, 'must be a whole number of seconds', 'use e.g. 30 (k8gb default)'));
  }

  const whenAllUnhealthy = annotationChoice(annotations, MERIDIAN_ANNOTATIONS.whenAllUnhealthy, WHEN_ALL_UNHEALTHY_MODES, options.defaults.whenAllUnhealthy, problems);
  const weightedMode = annotationChoice(annotations, MERIDIAN_ANNOTATIONS.weightedMode, WEIGHTED_MODES, options.defaults.weightedMode, problems);
  if (problems.length > before) return undefined;

  const spec: StrategySpec = {
    type: type as StrategySpec['type'],
    dnsTtlSeconds,
    whenAllUnhealthy,
    weightedMode,
    ...(primaryGeoTag !== undefined ? { primaryGeoTag } : {}),
    ...(weight !== undefined ? { weight } : {}),
  };
  const usedOrder = Array.isArray(primaryGeoTag);
  for (const error of validateStrategySpec(spec, { path: 'spec.strategy', ...(options.knownGeoTags ? { knownGeoTags: options.knownGeoTags } : {}) })) {
    problems.push(fieldProblem(mapField(error.field, fields, usedOrder, orderField), error.value, error.problem, error.fix));
  }
  return problems.length > before ? undefined : spec;
}

/** k8gb accepts `weight: {eu: 35}` and the older percentages `weight: {eu: "35%"}`. */
function compileWeights(input: StrategyFields['weight'], problems: FieldProblem[]): Record<string, number> | undefined {
  const raw = input.value;
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    problems.push(fieldProblem(input.field, raw, 'must be a map of region to weight', 'write weight: {eu: 80, us: 20}'));
    return undefined;
  }
  const weights: Record<string, number> = {};
  for (const [region, value] of Object.entries(raw)) {
    const text = typeof value === 'string' ? value.replace(/\s/g, '').replace(/%$/, '') : value;
    const number = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
    if (typeof number !== 'number') {
      problems.push(fieldProblem(`${input.field}.${region}`, value, 'must be a whole number from 0 to 1000', 'use e.g. 80, or "80%"'));
      continue;
    }
    weights[region] = number;
  }
  return weights;
}

function annotationChoice<T extends string>(annotations: Record<string, string>, name: string, allowed: readonly T[], fallback: T, problems: FieldProblem[]): T {
  const value = annotations[name];
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value.trim())) return value.trim() as T;
  problems.push(fieldProblem(annotationField(name), value, 'is not a known mode', `use one of: ${allowed.join(', ')}`));
  return fallback;
}

/** Errors from the strategies library name StrategySpec fields; point them back at where the value came from. */
function mapField(field: string, fields: StrategyFields, usedOrder: boolean, orderField: string): string {
  const map: [string, string][] = [
    ['spec.strategy.type', fields.type.field],
    ['spec.strategy.primaryGeoTag', usedOrder ? orderField : fields.primaryGeoTag.field],
    ['spec.strategy.weight', fields.weight.field],
    ['spec.strategy.dnsTtlSeconds', fields.dnsTtlSeconds.field],
  ];
  for (const [from, to] of map) if (field === from || field.startsWith(`${from}.`) || field.startsWith(`${from}[`)) return to + field.slice(from.length);
  return field;
}
