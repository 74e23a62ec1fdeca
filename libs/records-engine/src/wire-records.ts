import type { Component, ServiceContext, ServiceWiring } from '@meridian/grpc-kit';
import { RecordsServiceService } from '@meridian/proto';
import { systemClock, type Clock } from './clock';
import { InputSubscriptions, type InputEndpoints } from './input-subscriptions';
import { RecordsTimers } from './records-timers';
import { RecordsEngine } from './records-engine';
import { RecordsMetrics } from './records-metrics';
import { recordsServiceImplementation } from './records-service';
import type { RecordsSettings } from './records-settings';

export interface RecordsWiringOptions {
  readonly settings: RecordsSettings;
  readonly inputs: InputEndpoints;
  /** Idle WatchZone streams carry a heartbeat this often. */
  readonly heartbeatMs: number;
  readonly clock?: Clock;
}

/** The records service's parts, for main.ts to add to (Kubernetes mode) and hand to runService. */
export interface RecordsWiring extends ServiceWiring {
  readonly engine: RecordsEngine;
  readonly metrics: RecordsMetrics;
  readonly components: Component[];
}

/**
 * Wires the records service: metrics, the engine, its input streams and timers, the
 * RecordsService handlers, and readiness (the first prober snapshot applied and the zones
 * built). No I/O happens here; the components start it.
 */
export function wireRecordsService(context: ServiceContext<unknown>, options: RecordsWiringOptions): RecordsWiring {
  const { logger, registry, readiness, shutdownSignal } = context;
  const metrics = new RecordsMetrics(registry);
  const engine = new RecordsEngine({ settings: options.settings, clock: options.clock ?? systemClock, logger: logger.child({ component: 'engine' }), metrics });
  readiness.set('zones', engine.isReady(), engine.readinessDetail());
  engine.onReady(() => readiness.set('zones', true, engine.readinessDetail()));
  const inputs = new InputSubscriptions({ endpoints: options.inputs, engine, localGeoTag: options.settings.localGeoTag, logger, metrics });
  const implementation = recordsServiceImplementation({
    engine,
    heartbeatMs: options.heartbeatMs,
    shutdownSignal,
    logger,
    metrics,
    readyTimeoutMs: Math.max(2 * options.heartbeatMs, 5_000),
  });
  return {
    engine,
    metrics,
    services: [{ definition: RecordsServiceService, implementation }],
    components: [
      { name: 'records-timers', ...bind(new RecordsTimers(engine, options.settings)) },
      { name: 'input-subscriptions', ...bind(inputs) },
    ],
  };
}

function bind(component: { start(): void; stop(): void }): Pick<Component, 'start' | 'stop'> {
  return { start: () => component.start(), stop: () => component.stop() };
}
