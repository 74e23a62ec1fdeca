export { dialsPeer, sameSpec, type PeerKind, type PeerSource, type PeerSpec } from './peer-spec';
export { diffHosts, sameHostHealth } from './host-health';
export { LocalTargets, type LocalTargetsOptions } from './local-targets';
export { RemoteTargets, type PeerPosition, type RegionView, type RemoteTargetsOptions } from './remote-targets';
export { decodePeerMessage, encodePeerMessage, ExchangeClient, peerSyncServiceDefinition } from './exchange-codec';
export { clientLink, serverLink, type PeerLink } from './peer-link';
export { PeerSession, type PeerSessionOptions, type Refusal, type SessionEnd } from './peer-session';
export { GrpcPeerConnector, type PeerConnection, type PeerConnector } from './peer-connector';
export { PeerDialer, type PeerDialerOptions } from './peer-dialer';
export { Membership, type MembershipEvent, type MembershipOptions, type PeerRecord } from './membership';
export { K8gbPeerPoller, toHostHealth, type K8gbPeerPollerOptions } from './k8gb-peer-poller';
export { EdgeDiscovery, type EdgeDiscoveryOptions } from './edge-discovery';
export { certificateNames, expectedIdentity } from './peer-identity';
export { ProberFeed, type ProberFeedOptions } from './prober-feed';
export { PeerSyncMetrics, type MessageDirection, type PeerGaugeView } from './peer-sync-metrics';
export { PeerSync, type PeerSyncOptions } from './peer-sync';
// The gRPC message limit for snapshots (ADR 0009), re-exported for the app's config.
export { MESSAGE_SIZE_LIMITS } from '@meridian/streams';
