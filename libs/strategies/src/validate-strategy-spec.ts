import { StrategyConfigError } from './strategy-config-error';
import { createDefaultStrategyRegistry, unknownTypeError, type StrategyRegistry } from './strategy-registry';
import {
  MAX_TTL_SECONDS,
  MAX_WEIGHT,
  MIN_WEIGHT,
  WEIGHTED_MODES,
  WHEN_ALL_UNHEALTHY_MODES,
  type StrategySpec,
} from './strategy-spec';
import type { GeoTag } from './target';

export interface ValidateSpecOptions {
  /** The configured regions; when given, every geotag the spec names must be one of them. */
  readonly knownGeoTags?: Iterable<GeoTag>;
  /** Prefix of every field name in errors, e.g. `spec.strategy`. Defaults to `spec`. */
  readonly path?: string;
  readonly registry?: StrategyRegistry;
}

/** Every problem with a strategy spec (not just the first), each naming field, value and fix. */
export function validateStrategySpec(spec: StrategySpec, options: ValidateSpecOptions = {}): StrategyConfigError[] {
  const path = options.path ?? 'spec';
  const registry = options.registry ?? createDefaultStrategyRegistry();
  const known = options.knownGeoTags === undefined ? undefined : new Set(options.knownGeoTags);
  const errors: StrategyConfigError[] = [];
  const checkGeoTag = (field: string, value: unknown): void => {
    if (typeof value !== 'string' || value === '') {
      errors.push(new StrategyConfigError(field, value, 'must be a non-empty geotag', 'use a region geotag such as "eu"'));
    } else if (known !== undefined && !known.has(value)) {
      errors.push(new StrategyConfigError(field, value, 'is not a known region', `use one of: ${[...known].sort().join(', ')}`));
    }
  };

  const registration = registry.get(spec.type);
  if (registration === undefined) errors.push(unknownTypeError(spec.type, registry.types(), path));
  else errors.push(...registration.validate(spec, path));

  if (!Number.isInteger(spec.dnsTtlSeconds) || spec.dnsTtlSeconds < 0 || spec.dnsTtlSeconds > MAX_TTL_SECONDS) {
    errors.push(new StrategyConfigError(`${path}.dnsTtlSeconds`, spec.dnsTtlSeconds, `must be an integer from 0 to ${MAX_TTL_SECONDS}`, 'use e.g. 30 (k8gb default)'));
  }
  if (!(WHEN_ALL_UNHEALTHY_MODES as readonly unknown[]).includes(spec.whenAllUnhealthy)) {
    errors.push(new StrategyConfigError(`${path}.whenAllUnhealthy`, spec.whenAllUnhealthy, 'is not a known mode', `use one of: ${WHEN_ALL_UNHEALTHY_MODES.join(', ')}`));
  }
  if (spec.weightedMode !== undefined && !(WEIGHTED_MODES as readonly unknown[]).includes(spec.weightedMode)) {
    errors.push(new StrategyConfigError(`${path}.weightedMode`, spec.weightedMode, 'is not a known mode', `use one of: ${WEIGHTED_MODES.join(', ')}`));
  }

  const primary = spec.primaryGeoTag;
  if (Array.isArray(primary)) {
    if (primary.length === 0) {
      errors.push(new StrategyConfigError(`${path}.primaryGeoTag`, primary, 'is an empty list', 'list at least one region, e.g. ["eu"], or remove it'));
    }
    const seen = new Set<unknown>();
    primary.forEach((geoTag: unknown, i) => {
      checkGeoTag(`${path}.primaryGeoTag[${i}]`, geoTag);
      if (seen.has(geoTag)) {
        errors.push(new StrategyConfigError(`${path}.primaryGeoTag[${i}]`, geoTag, 'is listed twice', 'list each region once'));
      }
      seen.add(geoTag);
    });
  } else if (primary !== undefined) {
    checkGeoTag(`${path}.primaryGeoTag`, primary);
  }

  for (const [geoTag, weight] of Object.entries(spec.weight ?? {})) {
    checkGeoTag(`${path}.weight.${geoTag}`, geoTag);
    if (!Number.isInteger(weight) || weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
      errors.push(
        new StrategyConfigError(`${path}.weight.${geoTag}`, weight, `must be an integer from ${MIN_WEIGHT} to ${MAX_WEIGHT}`, 'use 0 for last resort, up to 1000'),
      );
    }
  }

  for (const [geoTag, nearest] of Object.entries(spec.proximity ?? {})) {
    checkGeoTag(`${path}.proximity.${geoTag}`, geoTag);
    if (!Array.isArray(nearest)) {
      errors.push(new StrategyConfigError(`${path}.proximity.${geoTag}`, nearest, 'must be a list of geotags', 'list the other regions nearest first, e.g. ["us", "za"]'));
      continue;
    }
    nearest.forEach((other: unknown, i) => checkGeoTag(`${path}.proximity.${geoTag}[${i}]`, other));
  }
  return errors;
}
