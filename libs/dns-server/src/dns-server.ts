import type { Logger } from '@meridian/logging';
import type { ZoneDelta } from '@meridian/proto';
import { DnsListeners } from './dns-listeners';
import type { ListenerSettings } from './listener-settings';
import { QueryHandler } from './query-handler';
import { QueryStats } from './query-stats';
import { ServingZones } from './serving-zones';
import type { ZoneState } from './zone-state';

export interface DnsServerOptions {
  listen: ListenerSettings;
  ednsPayloadSize: number;
  logger: Logger;
  random?: () => number;
}

/**
 * One process's authoritative server: compiled zones, the query handler, and the UDP and
 * TCP listeners. Runs in each cluster worker, or in the primary when workers is 0 (and in
 * tests, in process, on port 0).
 */
export class DnsServer {
  readonly stats = new QueryStats();
  readonly zones: ServingZones;
  readonly handler: QueryHandler;
  private readonly listeners: DnsListeners;
  private ports: { udpPort: number; tcpPort: number } | undefined;

  constructor(options: DnsServerOptions) {
    this.zones = new ServingZones(options.logger);
    this.handler = new QueryHandler({
      zones: this.zones.holder,
      ednsPayloadSize: options.ednsPayloadSize,
      stats: this.stats,
      random: options.random ?? Math.random,
    });
    this.listeners = new DnsListeners(this.handler, this.stats, options.listen);
  }

  get address(): { udpPort: number; tcpPort: number } | undefined {
    return this.ports;
  }

  /** Serves `state` at `version`; `delta` (what led to it from the previous version) allows an incremental update. */
  serve(state: ZoneState, version: number, delta?: ZoneDelta): void {
    this.zones.serve(state, version, delta);
  }

  async start(): Promise<{ udpPort: number; tcpPort: number }> {
    this.ports = await this.listeners.start();
    return this.ports;
  }

  async stop(): Promise<void> {
    await this.listeners.stop();
  }
}
