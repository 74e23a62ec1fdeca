import type { DnsClient } from '@meridian/dns-wire';
import { Backoff } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import { nameserverName, type DelegatedZone } from './delegation-names';
import { planDelegation, type DesiredDelegation } from './delegation-plan';
import { describeUpdate } from './dns-update';
import { EdgeDnsUpdateRefusedError } from './edge-dns-error';
import { lookupAtEdge } from './edge-lookup';
import type { DnsUpdater } from './update-client';

/** applied: the zone changed; unchanged: it was already right; refused: the server said no; failed: no answer. */
export type DelegationOutcome = 'applied' | 'unchanged' | 'refused' | 'failed';

export interface DelegationResult {
  zone: string;
  nameserver: string;
  outcome: DelegationOutcome;
  /** The operations sent (applied), or the error message (refused, failed). */
  detail: string;
}

export interface DelegationPublisherOptions {
  geotag: string;
  zones: readonly DelegatedZone[];
  /** This region's DNS service addresses: the glue. */
  addresses: readonly string[];
  /** Overrides k8gb's nameserver naming, per zone. */
  nameserverFor?: (zone: DelegatedZone) => string;
  ttlSeconds: number;
  /** How often the parent zone is read again and repaired, after a success. */
  refreshMs: number;
  /** Reads the parent zone (its primary, so reads see our own writes). */
  reader: DnsClient;
  updater: DnsUpdater;
  /** "host:port" of the edge DNS, for messages. */
  server: string;
  logger: Logger;
  backoff?: Backoff;
  onResult?: (result: DelegationResult) => void;
}

/**
 * Keeps this region's delegation in the parent zone: its NS record and the glue A/AAAA at its
 * nameserver name. Each round reads what the zone holds and sends only the difference, so a
 * restart or a repeat changes nothing and no other region's record is ever deleted. Failed
 * rounds are retried with backoff; successful ones are repeated every `refreshMs`, which also
 * repairs records someone removed by hand.
 */
export class DelegationPublisher {
  readonly name = 'edge-delegation';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly backoff: Backoff;
  private results: DelegationResult[] = [];

  constructor(private readonly options: DelegationPublisherOptions) {
    this.backoff = options.backoff ?? new Backoff({ initialMs: 500, maxMs: 30_000 });
  }

  /** The outcome of the last round, per zone. */
  get lastResults(): readonly DelegationResult[] {
    return this.results;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round over every zone; never throws, each zone's outcome is in the result. */
  async publishOnce(): Promise<DelegationResult[]> {
    const results: DelegationResult[] = [];
    for (const zone of this.options.zones) results.push(await this.publishZone(zone));
    this.results = results;
    return results;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async round(): Promise<void> {
    const results = await this.publishOnce();
    const failed = results.some((r) => r.outcome === 'refused' || r.outcome === 'failed');
    if (failed) {
      this.schedule(this.backoff.next());
    } else {
      this.backoff.reset();
      this.schedule(this.options.refreshMs);
    }
  }

  private async publishZone(delegation: DelegatedZone): Promise<DelegationResult> {
    const { reader, server, updater, logger } = this.options;
    const nameserver = this.options.nameserverFor?.(delegation) ?? nameserverName(this.options.geotag, delegation);
    const desired: DesiredDelegation = { zone: delegation.zone, nameserver, addresses: this.options.addresses, ttlSeconds: this.options.ttlSeconds };
    let result: DelegationResult;
    try {
      const [nameservers, ipv4, ipv6] = await Promise.all([
        lookupAtEdge(reader, server, delegation.zone, 'NS'),
        lookupAtEdge(reader, server, nameserver, 'A'),
        lookupAtEdge(reader, server, nameserver, 'AAAA'),
      ]);
      const plan = planDelegation(desired, { nameservers, ipv4, ipv6 });
      if (plan.length === 0) {
        result = { zone: delegation.zone, nameserver, outcome: 'unchanged', detail: 'the parent zone already holds this region\'s NS record and glue' };
      } else {
        await updater.update(delegation.parent, plan);
        result = { zone: delegation.zone, nameserver, outcome: 'applied', detail: plan.map(describeUpdate).join('; ') };
      }
    } catch (err) {
      const outcome = err instanceof EdgeDnsUpdateRefusedError ? 'refused' : 'failed';
      result = { zone: delegation.zone, nameserver, outcome, detail: (err as Error).message };
    }
    const fields = { zone: result.zone, parent: delegation.parent, nameserver, outcome: result.outcome, detail: result.detail };
    if (result.outcome === 'applied') logger.info('edge delegation updated', fields);
    else if (result.outcome === 'unchanged') logger.debug('edge delegation already in place', fields);
    else logger.error('edge delegation not published', fields);
    this.options.onResult?.(result);
    return result;
  }
}
