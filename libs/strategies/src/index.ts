// Domain types
export type { AddressFamily, GeoTag, RegionTarget, Target } from './target';
export { REGION_VERDICTS, type RegionVerdict } from './region-verdict';
export {
  MAX_TTL_SECONDS,
  MAX_WEIGHT,
  MIN_WEIGHT,
  STRATEGY_TYPES,
  WEIGHTED_MODES,
  WHEN_ALL_UNHEALTHY_MODES,
  hasWeights,
  primaryGeoTags,
  type StrategySpec,
  type StrategyType,
  type WeightedMode,
  type WhenAllUnhealthy,
} from './strategy-spec';
export { DEFAULT_STALENESS_LIMITS, validateStalenessLimits, type StalenessLimits } from './staleness-limits';
export type { HostInputs, RegionInput } from './host-inputs';
export type {
  AnswerPlan,
  GeoSelector,
  PlanFallback,
  RegionDecision,
  RegionRule,
  RotateSelector,
  SingleSelector,
  StrategyKind,
  VariantSelector,
  WeightedSelector,
} from './answer-plan';

// Errors and validation
export { InvalidStrategyConfigError, StrategyConfigError, throwIfInvalid } from './strategy-config-error';
export { validateStrategySpec, type ValidateSpecOptions } from './validate-strategy-spec';
export { validateHostInputs } from './validate-host-inputs';

// Split-brain rules
export { admitRegion, type AdmissionContext, type RegionAdmission } from './region-admission';

// Strategies and their registry
export type { Strategy, StrategyContext, StrategyOutcome, UsableRegion } from './strategy';
export { roundRobinStrategy } from './round-robin';
export { weightedRoundRobinStrategy } from './weighted';
export { failoverOrder, failoverStrategy } from './failover';
export { geoipStrategy } from './geoip';
export {
  StrategyRegistry,
  createDefaultStrategyRegistry,
  failoverRegistration,
  geoipRegistration,
  roundRobinRegistration,
  type StrategyRegistration,
} from './strategy-registry';
export { WHEN_ALL_UNHEALTHY, type FallbackAnswer, type FallbackContext, type FallbackPolicy } from './when-all-unhealthy';
export { MAX_ROTATION_VARIANTS, distinctTargets, rotations } from './target-lists';

// Planning (records) and the per-query part (dns)
export { computePlan } from './compute-plan';
export { createVariantChoice, selectVariant, type SelectOptions, type VariantChoice } from './select-variant';
export { addressBit, addressFromBytes, createParsedAddress, formatAddress, parseAddress, type ParsedAddress } from './parsed-address';
export {
  compileCidrTable,
  lookupCidr,
  validateGeoCidrs,
  type CidrMatch,
  type CidrTable,
  type CidrTrie,
  type GeoCidr,
  type ValidateCidrOptions,
} from './cidr-table';
export { CidrGeoLocator, createGeoMatch, type GeoLocator, type GeoMatch } from './geo-locator';
