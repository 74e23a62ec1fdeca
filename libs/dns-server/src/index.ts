// The zone data: replica state, feed, compiler, compiled answers
export { applyDelta, EMPTY_ZONE_STATE, stateFromSnapshot, stateToSnapshot, type ZoneEntry, type ZoneState } from './zone-state';
export { ZoneUpdateError } from './zone-update-error';
export { ZoneFeed, type SourceState, type ZoneEvent, type ZoneFeedListener } from './zone-feed';
export { CompileCache, compileRecordSet, compileZones } from './zone-compiler';
export { EMPTY_COMPILED_ZONES, findNode, NodeKind, Slot, ZoneHolder, type AnswerTail, type CompiledZone, type CompiledZones, type NameNode } from './compiled-zones';
export { ServingZones } from './serving-zones';

// The query path
export { QueryHandler, TCP, UDP, type QueryHandlerOptions } from './query-handler';
export { addStats, LATENCY_BUCKETS, QTYPE_LABELS, QueryStats, RCODE_LABELS, STATS_LENGTH, StatsView, TcpCounter } from './query-stats';
export type { StatsSource } from './stats-source';

// Listeners and processes
export type { ListenerSettings } from './listener-settings';
export { UdpListener } from './udp-listener';
export { TcpListener } from './tcp-listener';
export { DnsListenError, DnsListeners } from './dns-listeners';
export { DnsServer, type DnsServerOptions } from './dns-server';
export { processChannel, runDnsWorker, type WorkerChannel } from './dns-worker';
export { WorkerPool, WorkerPoolError, type WorkerPoolOptions } from './worker-pool';
export type { FromWorker, ToWorker, WorkerSettings } from './worker-messages';

// Sources, metrics, status, wiring
export { RecordsSubscription, type RecordsSubscriptionOptions } from './records-subscription';
export { readSnapshotFile, SnapshotFileError } from './snapshot-file';
export { registerDnsMetrics, type DnsMetricsOptions } from './dns-metrics';
export { dnsServiceImplementation, servingStatus } from './serving-status-service';
export { wireDnsService, type DnsServiceContext, type DnsServiceSettings } from './dns-service';
// The WatchZone message limit (ADR 0009), re-exported for the app's config.
export { MESSAGE_SIZE_LIMITS } from '@meridian/streams';
