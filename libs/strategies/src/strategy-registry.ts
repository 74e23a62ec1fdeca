import { failoverStrategy } from './failover';
import { geoipStrategy } from './geoip';
import { roundRobinStrategy } from './round-robin';
import type { Strategy } from './strategy';
import { InvalidStrategyConfigError, StrategyConfigError } from './strategy-config-error';
import { hasWeights, primaryGeoTags, type StrategySpec } from './strategy-spec';
import { weightedRoundRobinStrategy } from './weighted';

/** How one `spec.type` is served: which implementation, and the checks specific to it. */
export interface StrategyRegistration {
  readonly type: string;
  /** The implementation for a spec of this type. */
  select(spec: StrategySpec): Strategy;
  /** Problems that only this type cares about (common fields are checked elsewhere). */
  validate(spec: StrategySpec, path: string): StrategyConfigError[];
}

/** Strategy implementations keyed by `spec.type`. Immutable once built. */
export class StrategyRegistry {
  private readonly byType: ReadonlyMap<string, StrategyRegistration>;

  constructor(registrations: readonly StrategyRegistration[]) {
    this.byType = new Map(registrations.map((r) => [r.type, r]));
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  get(type: string): StrategyRegistration | undefined {
    return this.byType.get(type);
  }

  /** The implementation for `spec`; throws an InvalidStrategyConfigError for an unknown type. */
  resolve(spec: StrategySpec, path = 'spec'): Strategy {
    const registration = this.byType.get(spec.type);
    if (registration === undefined) {
      throw new InvalidStrategyConfigError([unknownTypeError(spec.type, this.types(), path)], 'strategy spec');
    }
    return registration.select(spec);
  }
}

export function unknownTypeError(type: unknown, known: readonly string[], path: string): StrategyConfigError {
  return new StrategyConfigError(`${path}.type`, type, 'is not a known strategy type', `use one of: ${known.join(', ')}`);
}

/** k8gb validates weights only for roundRobin; elsewhere they would be silently ignored. */
function rejectWeights(spec: StrategySpec, path: string): StrategyConfigError[] {
  return hasWeights(spec)
    ? [new StrategyConfigError(`${path}.weight`, spec.weight, `applies only to roundRobin, not ${spec.type}`, 'remove weight or use type roundRobin')]
    : [];
}

export const roundRobinRegistration: StrategyRegistration = {
  type: 'roundRobin',
  // An empty weight map is plain roundRobin.
  select: (spec) => (hasWeights(spec) ? weightedRoundRobinStrategy : roundRobinStrategy),
  validate: () => [],
};

export const failoverRegistration: StrategyRegistration = {
  type: 'failover',
  select: () => failoverStrategy,
  validate: (spec, path) => [
    ...rejectWeights(spec, path),
    ...(primaryGeoTags(spec).length === 0
      ? [new StrategyConfigError(`${path}.primaryGeoTag`, spec.primaryGeoTag, 'is required for failover', 'set it to the primary region, e.g. "eu", or a list ["eu", "us"]')]
      : []),
  ],
};

export const geoipRegistration: StrategyRegistration = {
  type: 'geoip',
  select: () => geoipStrategy,
  validate: rejectWeights,
};

/** A registry with k8gb's strategies: roundRobin (plain or weighted), failover, geoip. */
export function createDefaultStrategyRegistry(): StrategyRegistry {
  return new StrategyRegistry([roundRobinRegistration, failoverRegistration, geoipRegistration]);
}
