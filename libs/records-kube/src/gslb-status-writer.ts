import type { Logger } from '@meridian/logging';
import type { DnsEndpointRecord, GslbStatus, GslbStatusSource } from './gslb-status';
import type { KubeClient, KubeObject } from './kube-client';
import type { KubeStatusMetrics } from './kube-status-metrics';

/** k8gb's Gslb in its API groups, the current one first. */
export const GSLB_API_GROUPS = ['k8gb.io', 'k8gb.absa.oss'] as const;

export interface GslbStatusWriterOptions {
  readonly client: KubeClient;
  readonly source: GslbStatusSource;
  readonly logger: Logger;
  readonly metrics?: KubeStatusMetrics;
  readonly writeStatus: boolean;
  readonly writeDnsEndpoints: boolean;
  /** Minimum time between two write rounds (changes in between are coalesced). */
  readonly intervalMs: number;
  /** Delay before a failed write is tried again. */
  readonly retryMs?: number;
}

type GslbObject = KubeObject & { status?: Partial<GslbStatus> & Record<string, unknown> };

/**
 * Writes each Gslb's status (k8gb's `serviceHealth`, `healthyRecords`, `geoTag`, `hosts`)
 * through the status subresource, and optionally a k8gb-style DNSEndpoint, while this replica
 * leads. Writes are coalesced, skipped when nothing changed, and merge-patch only records'
 * fields (other writers' status fields are left alone; hosts that went away are nulled).
 */
export class GslbStatusWriter {
  private readonly dirty = new Set<string>();
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private busy = false;
  private retryDelayMs: number | undefined;
  private lastRoundMs = 0;
  /** Which API group serves each Gslb (found on first write). */
  private readonly groupOf = new Map<string, string>();

  constructor(private readonly options: GslbStatusWriterOptions) {
    options.source.onGslbsChanged((keys) => {
      for (const key of keys) this.dirty.add(key);
      this.schedule();
    });
  }

  /** Starts (true) or stops (false) writing; a new leader writes every Gslb once. */
  setLeading(leading: boolean): void {
    this.leading = leading;
    this.options.metrics?.leader.set(leading ? 1 : 0);
    if (!leading) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    for (const key of this.options.source.gslbKeys()) this.dirty.add(key);
    this.schedule();
  }

  /** Resolves once the current round (if any) is done. */
  async idle(): Promise<void> {
    await this.running;
  }

  stop(): void {
    this.setLeading(false);
  }

  private schedule(delayMs?: number): void {
    if (!this.leading || this.timer !== undefined || this.busy || this.dirty.size === 0) return;
    const wait = delayMs ?? Math.max(0, this.lastRoundMs + this.options.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = true;
      this.running = this.round().finally(() => {
        this.busy = false;
        this.running = undefined;
        const retry = this.retryDelayMs;
        this.retryDelayMs = undefined;
        this.schedule(retry);
      });
    }, wait);
  }

  /** Writes every marked Gslb once; a failed one stays marked and is retried after `retryMs`. */
  private async round(): Promise<void> {
    this.lastRoundMs = Date.now();
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      if (!this.leading) {
        this.dirty.add(key);
        continue;
      }
      try {
        await this.write(key);
      } catch (err) {
        this.dirty.add(key);
        this.retryDelayMs = this.options.retryMs ?? 2_000;
        this.options.metrics?.writes.inc({ result: 'failed' });
        this.options.logger.warn('could not write Gslb status; will retry', { gslb: key, err });
      }
    }
  }

  private async write(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const found = await this.findGslb(namespace, name);
    if (found === undefined) {
      this.options.metrics?.writes.inc({ result: 'missing' });
      this.options.logger.debug('Gslb not found in the API; status not written', { gslb: key });
      return;
    }
    const status = this.options.source.statusOf(key);
    if (this.options.writeStatus && status !== undefined) await this.writeStatus(found.path, found.object, status, key);
    if (this.options.writeDnsEndpoints) await this.writeDnsEndpoint(namespace, name, found.object, this.options.source.endpointsOf(key));
  }

  private async findGslb(namespace: string, name: string): Promise<{ path: string; object: GslbObject } | undefined> {
    const key = `${namespace}/${name}`;
    const known = this.groupOf.get(key);
    for (const group of known !== undefined ? [known] : GSLB_API_GROUPS) {
      const path = `/apis/${group}/v1beta1/namespaces/${namespace}/gslbs/${name}`;
      const res = await this.options.client.get<GslbObject>(path);
      if (res.status === 200) {
        this.groupOf.set(key, group);
        return { path, object: res.body };
      }
      if (res.status !== 404) throw new Error(`GET ${path} answered ${res.status}`);
    }
    this.groupOf.delete(key);
    return undefined;
  }

  private async writeStatus(path: string, object: GslbObject, desired: GslbStatus, key: string): Promise<void> {
    const current = object.status ?? {};
    const patch = statusPatch(current, desired);
    if (patch === undefined) {
      this.options.metrics?.writes.inc({ result: 'unchanged' });
      return;
    }
    const res = await this.options.client.mergePatch(`${path}/status`, { status: patch });
    if (res.status !== 200) throw new Error(`PATCH ${path}/status answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    this.options.metrics?.writes.inc({ result: 'written' });
    this.options.logger.debug('Gslb status written', { gslb: key });
  }

  private async writeDnsEndpoint(namespace: string, name: string, gslb: GslbObject, endpoints: DnsEndpointRecord[]): Promise<void> {
    const collection = `/apis/externaldns.k8s.io/v1alpha1/namespaces/${namespace}/dnsendpoints`;
    const desired = {
      apiVersion: 'externaldns.k8s.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: {
        name,
        namespace,
        annotations: { 'k8gb.absa.oss/dnstype': 'local' },
        ...(gslb.metadata.uid
          ? { ownerReferences: [{ apiVersion: gslb.apiVersion ?? 'k8gb.io/v1beta1', kind: 'Gslb', name, uid: gslb.metadata.uid, controller: true, blockOwnerDeletion: true }] }
          : {}),
      },
      spec: { endpoints: endpoints.map((e) => ({ dnsName: e.dnsName, recordType: e.recordType, recordTTL: e.recordTTL, targets: [...e.targets] })) },
    };
    const current = await this.options.client.get<KubeObject & { spec?: unknown }>(`${collection}/${name}`);
    if (current.status === 404) {
      const created = await this.options.client.create(collection, desired);
      if (created.status !== 201 && created.status !== 200) throw new Error(`POST ${collection} answered ${created.status}`);
      return;
    }
    if (current.status !== 200) throw new Error(`GET ${collection}/${name} answered ${current.status}`);
    if (JSON.stringify(current.body.spec) === JSON.stringify(desired.spec)) return;
    const replaced = await this.options.client.replace(`${collection}/${name}`, {
      ...desired,
      metadata: { ...desired.metadata, resourceVersion: current.body.metadata.resourceVersion },
    });
    if (replaced.status !== 200) throw new Error(`PUT ${collection}/${name} answered ${replaced.status}`);
  }
}

/**
 * The merge patch that turns the current status into the desired one for records' fields, or
 * undefined when they already match. Map entries that went away are set to null (a merge
 * patch cannot delete them otherwise).
 */
export function statusPatch(current: Partial<GslbStatus> & Record<string, unknown>, desired: GslbStatus): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  const mapPatch = (now: Readonly<Record<string, unknown>> | undefined, want: Readonly<Record<string, unknown>>) => {
    // k8gb's status always has both maps (they are not omitempty), so an empty one is written too.
    if (now === undefined || now === null) return { ...want };
    const out: Record<string, unknown> = {};
    let changed = false;
    for (const [k, v] of Object.entries(want)) {
      if (JSON.stringify(now?.[k]) !== JSON.stringify(v)) {
        out[k] = v;
        changed = true;
      }
    }
    for (const k of Object.keys(now ?? {})) {
      if (!(k in want)) {
        out[k] = null;
        changed = true;
      }
    }
    return changed ? out : undefined;
  };
  const health = mapPatch(current.serviceHealth, desired.serviceHealth);
  if (health) patch['serviceHealth'] = health;
  const records = mapPatch(current.healthyRecords, desired.healthyRecords);
  if (records) patch['healthyRecords'] = records;
  if (current.geoTag !== desired.geoTag) patch['geoTag'] = desired.geoTag;
  if (current.hosts !== desired.hosts) patch['hosts'] = desired.hosts;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? ['default', key] : [key.slice(0, slash), key.slice(slash + 1)];
}
