import {
  addressFamilyToJSON,
  healthStateToJSON,
  peerKindToJSON,
  strategyTypeToJSON,
  subscriptionStateToJSON,
  verdictStateToJSON,
  weightedModeToJSON,
  whenAllUnhealthyToJSON,
  type AddressFamily,
  type HealthState,
  type PeerKind,
  type StrategyType,
  type SubscriptionState,
  type VerdictState,
  type WeightedMode,
  type WhenAllUnhealthy,
} from '@meridian/proto';

/** "STRATEGY_TYPE_ROUND_ROBIN" → "roundRobin", the spelling of k8gb's Gslb spec. */
function camel(json: string, prefix: string): string {
  const words = json.replace(prefix, '').toLowerCase().split('_');
  return words.map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

/** "HEALTH_STATE_NOT_FOUND" → "not-found". */
function kebab(json: string, prefix: string): string {
  return json.replace(prefix, '').toLowerCase().replace(/_/g, '-');
}

export const strategyLabel = (value: StrategyType): string => camel(strategyTypeToJSON(value), 'STRATEGY_TYPE_');
export const weightedModeLabel = (value: WeightedMode): string => camel(weightedModeToJSON(value), 'WEIGHTED_MODE_');
export const whenAllUnhealthyLabel = (value: WhenAllUnhealthy): string => camel(whenAllUnhealthyToJSON(value), 'WHEN_ALL_UNHEALTHY_');
export const healthLabel = (value: HealthState): string => kebab(healthStateToJSON(value), 'HEALTH_STATE_');
export const verdictLabel = (value: VerdictState): string => kebab(verdictStateToJSON(value), 'VERDICT_STATE_');
export const familyLabel = (value: AddressFamily): string => kebab(addressFamilyToJSON(value), 'ADDRESS_FAMILY_');
export const peerKindLabel = (value: PeerKind): string => kebab(peerKindToJSON(value), 'PEER_KIND_');
export const subscriptionLabel = (value: SubscriptionState): string => kebab(subscriptionStateToJSON(value), 'SUBSCRIPTION_STATE_');

export const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
