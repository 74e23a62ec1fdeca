import type { ChannelCredentials } from '@grpc/grpc-js';
import { credentials as grpcCredentials } from '@grpc/grpc-js';
import { PeerSyncServiceClient, type HostHealth, type ListPeersResponse, type WatchRemoteTargetsResponse } from '@meridian/proto';

export interface RegionState {
  hosts: Map<string, HostHealth>;
  connected: boolean;
  lastContact: Date | undefined;
}

/** A change as the subscriber saw it: when, which region, and the targets of each upserted host. */
export interface SeenChange {
  at: number;
  region: string;
  connected: boolean;
  upserted: Record<string, string[]>;
  removed: string[];
  regionRemoved: boolean;
}

/**
 * What records does with WatchRemoteTargets, in a test: subscribes, applies the snapshot and
 * each delta, and keeps every change it saw with its arrival time.
 */
export class RemoteSubscriber {
  readonly regions = new Map<string, RegionState>();
  readonly changes: SeenChange[] = [];
  snapshots = 0;
  private readonly client: PeerSyncServiceClient;
  private readonly call;
  private waiters: (() => void)[] = [];

  constructor(address: string, credentials: ChannelCredentials = grpcCredentials.createInsecure()) {
    this.client = new PeerSyncServiceClient(address, credentials);
    this.call = this.client.watchRemoteTargets({ clientId: 'test-records', epoch: '', sinceVersion: 0 });
    this.call.on('data', (response: WatchRemoteTargetsResponse) => this.apply(response));
    this.call.on('error', () => undefined);
  }

  /** The addresses of a region's host, sorted; undefined when the host is unknown. */
  targets(region: string, host: string): string[] | undefined {
    const health = this.regions.get(region)?.hosts.get(host);
    return health?.targets.map((t) => t.target?.address ?? '').sort();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; regions: ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  describe(): string {
    return JSON.stringify(
      [...this.regions.entries()].map(([region, s]) => ({ region, connected: s.connected, hosts: Object.fromEntries([...s.hosts.keys()].map((h) => [h, this.targets(region, h)])) })),
    );
  }

  async listPeers(): Promise<ListPeersResponse> {
    return new Promise((resolve, reject) => this.client.listPeers({}, (err, res) => (err ? reject(err) : resolve(res))));
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }

  private apply(response: WatchRemoteTargetsResponse): void {
    const at = Date.now();
    const event = response.event;
    if (event?.$case === 'snapshot') {
      this.snapshots += 1;
      this.regions.clear();
      for (const region of event.snapshot.regions) {
        this.regions.set(region.region, { hosts: new Map(region.hosts.map((h) => [h.host, h])), connected: region.connected, lastContact: region.lastContact });
      }
    } else if (event?.$case === 'delta') {
      for (const change of event.delta.changes) {
        if (change.regionRemoved) {
          this.regions.delete(change.region);
        } else {
          const state = this.regions.get(change.region) ?? { hosts: new Map<string, HostHealth>(), connected: false, lastContact: undefined };
          for (const host of change.upserted) state.hosts.set(host.host, host);
          for (const host of change.removedHosts) state.hosts.delete(host);
          state.connected = change.connected;
          state.lastContact = change.lastContact;
          this.regions.set(change.region, state);
        }
        this.changes.push({
          at,
          region: change.region,
          connected: change.connected,
          upserted: Object.fromEntries(change.upserted.map((h) => [h.host, h.targets.map((t) => t.target?.address ?? '').sort()])),
          removed: change.removedHosts,
          regionRemoved: change.regionRemoved,
        });
      }
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}
