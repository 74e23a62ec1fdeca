export type { Clock, HeartbeatTarget, Observer } from './observer';
export { formatHostPort, parseHostPort, type HostPort } from './host-port';
export { lookupHeartbeat, type LookupOptions, type LookupOutcome } from './heartbeat-lookup';
export { HeartbeatReader, type HeartbeatReading } from './heartbeat-reader';
export { DEFAULT_LIVENESS_QUESTION, ResolverObserver, type LivenessQuestion, type ResolverObserverOptions } from './resolver-observer';
export { DirectObserver, type DirectObserverOptions } from './direct-observer';
export { PeerWitnessObserver, type PeerWitnessObserverOptions } from './peer-witness-observer';
export { GrpcWitnessPeerClient, PeerCallError, type GrpcWitnessPeerClientOptions, type WitnessPeerClient } from './witness-peer-client';
export { observationFromProto, observationToProto } from './observation-proto';
