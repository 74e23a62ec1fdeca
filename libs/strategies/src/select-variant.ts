import type { AnswerPlan, GeoSelector, VariantSelector, WeightedSelector } from './answer-plan';
import { lookupPacked, packedScope, packedTag } from './cidr-table';
import { createGeoMatch, type GeoLocator, type GeoMatch } from './geo-locator';
import type { ParsedAddress } from './parsed-address';

/** The per-query pick: which variant to answer, and the ECS scope prefix length to echo. */
export interface VariantChoice {
  variant: number;
  /** 0 when the answer does not depend on the client subnet. */
  ecsScope: number;
}

export function createVariantChoice(): VariantChoice {
  return { variant: 0, ecsScope: 0 };
}

/** Reusable per-worker state, so the per-query path allocates nothing. */
export interface SelectOptions {
  /** Filled and returned instead of a new object. */
  readonly out?: VariantChoice;
  /** Locates clients instead of the plan's CIDR table (e.g. a MaxMind lookup). */
  readonly locator?: GeoLocator;
  /** Scratch space for `locator`. */
  readonly geoMatch?: GeoMatch;
}

type Picker<S extends VariantSelector> = (
  selector: S,
  variantCount: number,
  random01: number,
  client: ParsedAddress | undefined,
  options: SelectOptions | undefined,
  out: VariantChoice,
) => void;

const PICKERS: { readonly [K in VariantSelector['kind']]: Picker<Extract<VariantSelector, { kind: K }>> } = {
  single: (_selector, _count, _random01, _client, _options, out) => {
    out.variant = 0;
  },
  rotate: (_selector, count, random01, _client, _options, out) => {
    // `| 0` maps NaN to 0; the clamp keeps a sloppy random source in range.
    out.variant = Math.min(count - 1, Math.max(0, (random01 * count) | 0));
  },
  weighted: pickWeighted,
  geo: pickGeo,
};

/**
 * Picks the variant to answer for one query: O(1) for single and rotate, O(regions) for
 * weighted, O(prefix bits) for geo. `random01` is in [0, 1); `clientAddress` is the ECS
 * address if the query has one, else the source address (parsed with parseAddress or
 * addressFromBytes). Allocates nothing when `options.out` (and `geoMatch`) are given.
 */
export function selectVariant(
  plan: AnswerPlan,
  random01: number,
  clientAddress?: ParsedAddress,
  options?: SelectOptions,
): VariantChoice {
  const out = options?.out ?? createVariantChoice();
  out.variant = 0;
  out.ecsScope = 0;
  const pick = PICKERS[plan.selector.kind] as Picker<VariantSelector>;
  pick(plan.selector, plan.variants.length, random01, clientAddress, options, out);
  return out;
}

function pickWeighted(selector: WeightedSelector, _count: number, random01: number, _client: unknown, _options: unknown, out: VariantChoice): void {
  const weights = selector.weights;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  let remaining = random01 * total;
  for (let i = 0; i < weights.length; i++) {
    remaining -= weights[i] as number;
    if (remaining < 0) {
      out.variant = i;
      return;
    }
  }
  out.variant = weights.length - 1; // random01 ≥ 1 or rounding: the last one
}

function pickGeo(
  selector: GeoSelector,
  _count: number,
  _random01: number,
  client: ParsedAddress | undefined,
  options: SelectOptions | undefined,
  out: VariantChoice,
): void {
  out.variant = selector.defaultVariant;
  // Without a client address the answer cannot be tailored: scope 0.
  if (client === undefined) return;
  const locator = options?.locator;
  if (locator !== undefined) {
    const match = locator.locate(client, options?.geoMatch ?? createGeoMatch());
    const variant = match.geoTag === undefined ? undefined : selector.variantByGeoTag[match.geoTag];
    if (typeof variant === 'number') out.variant = variant;
    out.ecsScope = match.scopePrefixLength;
    return;
  }
  if (selector.table === undefined) return;
  const packed = lookupPacked(selector.table, client);
  const tag = packedTag(packed);
  if (tag >= 0) out.variant = selector.regionVariant[tag] as number;
  out.ecsScope = packedScope(packed);
}
