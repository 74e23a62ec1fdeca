import { credentials } from '@grpc/grpc-js';
import { clientChannelOptions, ResumableWatch, type WatchState } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import { RecordsServiceClient, type RecordSet, type WatchZoneResponse, type ZoneDelta } from '@meridian/proto';

/**
 * A WatchZone subscriber as a DNS server is one: a real ResumableWatch that applies the
 * snapshot and each delta to its own copy of the zones, and remembers every version it
 * applied (to check that versions never go backwards) and every delta (to check their size).
 */
export class ZoneWatcher {
  readonly zones = new Map<string, Map<string, RecordSet>>();
  readonly applied: { epoch: string; version: number; kind: 'snapshot' | 'delta'; at: number; bytes: number }[] = [];
  readonly deltas: ZoneDelta[] = [];
  state: WatchState = 'stopped';
  private readonly client: RecordsServiceClient;
  private readonly watch: ResumableWatch<WatchZoneResponse>;

  constructor(address: string, clientId: string) {
    this.client = new RecordsServiceClient(address, credentials.createInsecure(), clientChannelOptions({ 'grpc.max_receive_message_length': -1 }));
    this.watch = new ResumableWatch<WatchZoneResponse>({
      open: (from) => this.client.watchZone({ clientId, ...from }),
      apply: (r) => this.apply(r),
      heartbeatTimeoutMs: 3000,
      logger: nullLogger,
      onStateChange: (state) => (this.state = state),
    });
  }

  get position(): { epoch: string; version: number } {
    return this.watch.applied;
  }

  start(): this {
    this.watch.start();
    return this;
  }

  stop(): void {
    this.watch.stop();
    this.client.close();
  }

  recordSet(name: string): RecordSet | undefined {
    for (const zone of this.zones.values()) {
      const set = zone.get(name);
      if (set) return set;
    }
    return undefined;
  }

  /** The addresses of variant 0 of a host's A plan. */
  answer(name: string): string[] {
    const set = this.recordSet(name);
    if (set?.content?.$case !== 'host') return [];
    return set.content.host.a?.variants[0]?.targets.map((t) => t.address).sort() ?? [];
  }

  private apply(r: WatchZoneResponse): void {
    const at = performance.now();
    if (r.event?.$case === 'snapshot') {
      this.zones.clear();
      for (const zone of r.event.snapshot.zones) {
        this.zones.set(zone.header?.origin ?? '', new Map(zone.recordSets.map((s) => [s.name, s])));
      }
      this.applied.push({ epoch: r.epoch, version: r.version, kind: 'snapshot', at, bytes: 0 });
    } else if (r.event?.$case === 'delta') {
      for (const change of r.event.delta.changes) {
        const zone = this.zones.get(change.origin) ?? new Map<string, RecordSet>();
        this.zones.set(change.origin, zone);
        if (change.change?.$case === 'upsert') zone.set(change.change.upsert.name, change.change.upsert);
        else if (change.change?.$case === 'removedName') zone.delete(change.change.removedName);
        else if (change.change?.$case === 'zoneRemoved') this.zones.delete(change.origin);
      }
      this.deltas.push(r.event.delta);
      this.applied.push({ epoch: r.epoch, version: r.version, kind: 'delta', at, bytes: 0 });
    }
  }
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
