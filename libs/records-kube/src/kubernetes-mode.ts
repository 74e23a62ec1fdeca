import type { Logger } from '@meridian/logging';
import type { Registry } from 'prom-client';
import type { GslbStatusSource } from './gslb-status';
import { GslbStatusWriter } from './gslb-status-writer';
import type { KubeClient } from './kube-client';
import { KubeStatusMetrics } from './kube-status-metrics';
import { LeaseElector } from './lease-elector';

export interface KubernetesModeOptions {
  readonly client: KubeClient;
  readonly source: GslbStatusSource;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly writeStatus: boolean;
  readonly writeDnsEndpoints: boolean;
  readonly statusIntervalMs: number;
}

/**
 * Kubernetes mode of records: every replica campaigns for the region's Lease; the one that
 * holds it writes Gslb status (and DNSEndpoints). Serving WatchZone does not depend on it:
 * every replica serves the zones.
 */
export class KubernetesMode {
  readonly name = 'kubernetes';
  readonly elector: LeaseElector;
  readonly writer: GslbStatusWriter;

  constructor(options: KubernetesModeOptions) {
    const metrics = new KubeStatusMetrics(options.registry);
    const logger = options.logger.child({ component: 'kubernetes' });
    this.writer = new GslbStatusWriter({
      client: options.client,
      source: options.source,
      logger,
      metrics,
      writeStatus: options.writeStatus,
      writeDnsEndpoints: options.writeDnsEndpoints,
      intervalMs: options.statusIntervalMs,
    });
    this.elector = new LeaseElector({
      client: options.client,
      namespace: options.namespace,
      name: options.leaseName,
      identity: options.identity,
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      logger,
      onLeadershipChange: (leading) => this.writer.setLeading(leading),
    });
  }

  start(): void {
    this.elector.start();
  }

  async stop(): Promise<void> {
    this.writer.stop();
    await this.writer.idle();
    await this.elector.stop();
  }
}
