import type { Logger } from '@meridian/logging';
import type { KubeClient, KubeObject } from './kube-client';

export interface LeaseElectorOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  /** This replica's identity in `holderIdentity`. */
  readonly identity: string;
  /** A follower takes over this long after it last saw the Lease change. */
  readonly leaseDurationMs: number;
  /** A leader that could not renew for this long steps down (shorter than the lease duration). */
  readonly renewDeadlineMs: number;
  /** How often the Lease is renewed, or tried. */
  readonly retryPeriodMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onLeadershipChange?: (leading: boolean) => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type LeaseObject = KubeObject & { spec?: LeaseSpec };

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does:
 * the leader renews `renewTime` every retry period with optimistic concurrency
 * (resourceVersion); a follower takes over when the record has not changed for the lease
 * duration, measured on its own clock from when it last saw a change (so clock skew between
 * replicas does not matter). A leader that cannot renew within the renew deadline steps down,
 * before any follower may take over. On stop, the leader releases the Lease so a follower
 * takes over at once.
 */
export class LeaseElector {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private running = false;
  private lastRenewMs = 0;
  /** The record last seen (holder and renewTime) and when, on this replica's clock. */
  private observed: { key: string; atMs: number } | undefined;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaseElectorOptions) {
    this.now = options.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.options.namespace}/leases`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * Stops campaigning. A leader releases the Lease (empty holder) so another replica takes
   * over at once; `release: false` leaves it to expire, as a crashed replica would.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    if (!this.leading) return;
    if (options.release === false) return this.setLeading(false, 'stopped without releasing the lease');
    try {
      const current = await this.options.client.get<LeaseObject>(`${this.path}/${this.options.name}`);
      if (current.status === 200 && current.body.spec?.holderIdentity === this.options.identity) {
        const released: LeaseObject = {
          ...current.body,
          spec: { ...current.body.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) },
        };
        await this.options.client.replace(`${this.path}/${this.options.name}`, released);
        this.options.logger.info('lease released', { lease: this.options.name });
      }
    } catch (err) {
      this.options.logger.warn('could not release the lease; another replica takes over when it expires', { err });
    }
    this.setLeading(false, 'stopped');
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.tryAcquireOrRenew().finally(() => this.schedule(this.options.retryPeriodMs));
    }, delayMs);
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { client, identity, name } = this.options;
    const now = this.now();
    try {
      const current = await client.get<LeaseObject>(`${this.path}/${name}`);
      if (current.status === 404) {
        const created = await client.create<LeaseObject>(this.path, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace: this.options.namespace },
          spec: this.spec(now, undefined),
        });
        if (created.status === 201 || created.status === 200) return this.renewed(now, 'created the lease');
        if (created.status !== 409) this.failed(now, `creating the lease answered ${created.status}`);
        return;
      }
      if (current.status !== 200) return this.failed(now, `reading the lease answered ${current.status}`);
      const spec = current.body.spec ?? {};
      const key = `${spec.holderIdentity ?? ''}@${spec.renewTime ?? ''}`;
      if (this.observed?.key !== key) this.observed = { key, atMs: now };
      const holder = spec.holderIdentity ?? '';
      const durationMs = (spec.leaseDurationSeconds ?? this.options.leaseDurationMs / 1000) * 1000;
      if (holder !== '' && holder !== identity && now < (this.observed?.atMs ?? now) + durationMs) {
        this.setLeading(false, `held by ${holder}`);
        return;
      }
      const replaced = await client.replace<LeaseObject>(`${this.path}/${name}`, {
        ...current.body,
        spec: this.spec(now, holder === identity ? spec : { ...spec, holderIdentity: holder }),
      });
      if (replaced.status === 200) return this.renewed(now, holder === identity ? 'renewed' : holder === '' ? 'acquired a released lease' : `took over from ${holder}`);
      if (replaced.status === 409) return this.setLeading(false, 'another replica wrote the lease first');
      this.failed(now, `writing the lease answered ${replaced.status}`);
    } catch (err) {
      this.failed(now, (err as Error).message);
    }
  }

  /** The spec this replica writes: renewTime now; acquireTime and transitions as client-go keeps them. */
  private spec(now: number, previous: LeaseSpec | undefined): LeaseSpec {
    const mine = previous?.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.options.leaseDurationMs / 1000)),
      acquireTime: mine && previous?.acquireTime ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous === undefined || mine ? 0 : 1),
    };
  }

  private renewed(now: number, how: string): void {
    this.lastRenewMs = now;
    if (!this.leading) this.options.logger.info('leading', { lease: this.options.name, identity: this.options.identity, how });
    this.setLeading(true, how);
  }

  private failed(now: number, reason: string): void {
    this.options.logger.warn('lease call failed', { lease: this.options.name, reason });
    if (this.leading && now - this.lastRenewMs >= this.options.renewDeadlineMs) this.setLeading(false, `could not renew for ${now - this.lastRenewMs} ms: ${reason}`);
  }

  private setLeading(leading: boolean, reason: string): void {
    if (this.leading === leading) return;
    this.leading = leading;
    if (!leading) this.options.logger.info('not leading', { lease: this.options.name, reason });
    this.options.onLeadershipChange?.(leading);
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
