import type { ChannelCredentials } from '@grpc/grpc-js';
import type { Component, ServiceWiring } from '@meridian/grpc-kit';
import type { Logger, LogLevel } from '@meridian/logging';
import type { Readiness } from '@meridian/metrics';
import { DnsServiceService } from '@meridian/proto';
import type { Registry } from 'prom-client';
import { registerDnsMetrics } from './dns-metrics';
import { DnsServer } from './dns-server';
import { STATS_LENGTH } from './query-stats';
import type { ListenerSettings } from './listener-settings';
import { RecordsSubscription } from './records-subscription';
import { dnsServiceImplementation } from './serving-status-service';
import { readSnapshotFile } from './snapshot-file';
import { WorkerPool } from './worker-pool';
import { ZoneFeed } from './zone-feed';

/** The dns service's settings, compiled from its config at the edge. */
export interface DnsServiceSettings {
  region: string;
  logLevel: LogLevel;
  listen: ListenerSettings;
  ednsPayloadSize: number;
  /** Worker processes; 0 answers in the primary process itself. */
  workers: number;
  records: {
    endpoints: readonly string[];
    credentials: ChannelCredentials;
    clientId: string;
    heartbeatTimeoutMs: number;
    /** The largest WatchZone message accepted (a snapshot is one message). */
    maxMessageBytes: number;
  };
  snapshotFile?: string;
}

export interface DnsServiceContext {
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
}

const READINESS = 'zone';

/**
 * Wires the dns service for runService: the zone feed, its sources (snapshot file, then the
 * records subscription), the servers (cluster workers, or this process), readiness, metrics
 * and the DnsService status API. Nothing starts here; the components do, in order.
 */
export function wireDnsService(context: DnsServiceContext, settings: DnsServiceSettings): ServiceWiring & { feed: ZoneFeed } {
  const { logger, registry, readiness } = context;
  const feed = new ZoneFeed();
  const hasSource = settings.records.endpoints.length > 0 || settings.snapshotFile !== undefined;
  // Without a zone source there is nothing to answer: the DNS port stays closed (a server
  // that REFUSEs everything would only hide the misconfiguration behind a Service).
  const pool =
    hasSource && settings.workers > 0
      ? new WorkerPool({
          count: settings.workers,
          settings: { listen: settings.listen, ednsPayloadSize: settings.ednsPayloadSize, logLevel: settings.logLevel, region: settings.region },
          feed,
          logger: logger.child({ component: 'dns-workers' }),
          onChange: () => updateReadiness(),
        })
      : undefined;
  const local = pool || !hasSource
    ? undefined
    : new DnsServer({ listen: settings.listen, ednsPayloadSize: settings.ednsPayloadSize, logger: logger.child({ component: 'dns-server' }) });

  const updateReadiness = () => {
    if (!hasSource) return;
    const serving = pool ? pool.serving() : feed.hasData;
    readiness.set(READINESS, feed.hasData && serving, feed.hasData ? `zone version ${feed.version}` : 'waiting for the first zone snapshot');
  };
  if (hasSource) readiness.set(READINESS, false, 'waiting for the first zone snapshot');
  else logger.warn('no records endpoint and no snapshot file: nothing to serve, so the DNS listeners stay closed');
  feed.onChange(() => updateReadiness());

  registerDnsMetrics({
    registry,
    stats: pool ?? { collectStats: async () => Float64Array.from(local?.stats.values ?? new Float64Array(STATS_LENGTH)) },
    feed,
    workers: () => ({ live: pool ? pool.liveWorkers : 0, restarts: pool ? pool.restartCount : 0 }),
  });

  const components: Component[] = [];
  if (settings.snapshotFile !== undefined) {
    const path = settings.snapshotFile;
    components.push({
      name: 'snapshot-file',
      start: () => {
        const event = readSnapshotFile(path);
        feed.apply(event);
        feed.setSource('file', `file ${path}`);
        logger.info('zone snapshot file loaded', { path, version: event.version, zones: feed.state.zones.size });
      },
      stop: () => undefined,
    });
  }
  if (pool || local) components.push({
    name: 'dns-listeners',
    start: async () => {
      let ports: { udpPort: number; tcpPort: number } | undefined;
      if (pool) {
        await pool.start();
        ports = pool.address;
      } else if (local) {
        const server = local;
        feed.onChange((state, version, event) => server.serve(state, version, event.kind === 'delta' ? event.delta : undefined));
        if (feed.hasData) server.serve(feed.state, feed.version);
        ports = await server.start();
      }
      updateReadiness();
      logger.info('dns listening', { host: settings.listen.host, ...ports, workers: settings.workers });
    },
    stop: async () => {
      await (pool ? pool.stop() : local?.stop());
    },
  });
  if (settings.records.endpoints.length > 0) {
    const subscription = new RecordsSubscription({
      endpoints: settings.records.endpoints,
      credentials: settings.records.credentials,
      clientId: settings.records.clientId,
      feed,
      logger: logger.child({ component: 'records-subscription' }),
      heartbeatTimeoutMs: settings.records.heartbeatTimeoutMs,
      maxMessageBytes: settings.records.maxMessageBytes,
    });
    components.push({ name: subscription.name, start: () => subscription.start(), stop: () => subscription.stop() });
  }

  return {
    feed,
    services: [{ definition: DnsServiceService, implementation: dnsServiceImplementation(feed, () => (pool ? pool.liveWorkers : 0)) }],
    components,
  };
}
