// Settings and names
export { DEFAULT_SOA, type RecordsSettings, type RegionSettings, type SoaSettings, type WitnessHeartbeatSettings, type ZoneSettings } from './records-settings';
export { isInZone, localTargetsName, nameserverName, normalizeName, witnessName, WITNESS_LABEL, ZoneIndex } from './dns-names';
export { formatWitnessHeartbeat, parseWitnessHeartbeat, type WitnessHeartbeat } from './witness-heartbeat';
export { seedVersion, systemClock, type Clock } from './clock';

// Domain types and converters
export type * from './reports';
export type * from './input-events';
export * from './from-proto';
export { hostAnswersToProto, planToProto, plannedTargetToProto } from './to-proto';
export { planHost, type HostPlanInput, type PlanRegion } from './plan-host';
export { plansOf, type HostPlans, type PlanFamily } from './host-plans';
export { hostRecordSet, localTargetsSet, nameserversOf, witnessDelegations, witnessHeartbeatSet, zoneHeader } from './zone-records';
export { ZoneStore } from './zone-store';

// Engine, Explain, metrics
export { RecordsEngine, type HostState, type HostView, type RecordsEngineOptions, type RegionView } from './records-engine';
export { explainHost, HostNotFoundError, InvalidClientSubnetError, InvalidRequestError, parseClientSubnet, type Explanation, type RegionExplanation } from './explain-host';
export { explanationToProto } from './explain-response';
export { answeredTargets, endpointsOf, gslbStatusOf } from './gslb-view';
export { INPUT_STATES, RecordsMetrics, splitGslbKey, type InputName, type InputState } from './records-metrics';

// Adapters and wiring
export { InputSubscriptions, type InputEndpoints } from './input-subscriptions';
export { recordsServiceImplementation, type RecordsServiceOptions } from './records-service';
export { RecordsTimers } from './records-timers';
export { wireRecordsService, type RecordsWiring, type RecordsWiringOptions } from './wire-records';
// The gRPC message limit for snapshots (ADR 0009), re-exported for the app's config.
export { MESSAGE_SIZE_LIMITS } from '@meridian/streams';
