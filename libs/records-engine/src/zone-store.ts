import { RecordSet, type ZoneChange, type ZoneHeader, type ZoneSnapshot } from '@meridian/proto';

interface StoredSet {
  readonly set: RecordSet;
  /** The set's encoding: two sets are the same answer exactly when their encodings are equal. */
  readonly bytes: Uint8Array;
}

interface StoredZone {
  readonly header: ZoneHeader;
  readonly sets: Map<string, StoredSet>;
}

/**
 * The zones as served at the current version. `put` compares encodings, so a recomputation
 * that lands on the same answer produces no change, and a change holds only that name.
 */
export class ZoneStore {
  private readonly zones = new Map<string, StoredZone>();
  private names = 0;

  addZone(header: ZoneHeader): void {
    this.zones.set(header.origin, { header, sets: new Map() });
  }

  /** Makes `name` hold `set` (or removes it when `set` is undefined); returns the change, if any. */
  put(origin: string, name: string, set: RecordSet | undefined): ZoneChange | undefined {
    const zone = this.zones.get(origin);
    if (zone === undefined) throw new Error(`zone ${origin} is not served`);
    const existing = zone.sets.get(name);
    if (set === undefined) {
      if (existing === undefined) return undefined;
      zone.sets.delete(name);
      this.names--;
      return { origin, change: { $case: 'removedName', removedName: name } };
    }
    const bytes = RecordSet.encode(set).finish();
    if (existing !== undefined && Buffer.compare(existing.bytes, bytes) === 0) return undefined;
    if (existing === undefined) this.names++;
    zone.sets.set(name, { set, bytes });
    return { origin, change: { $case: 'upsert', upsert: set } };
  }

  get(origin: string, name: string): RecordSet | undefined {
    return this.zones.get(origin)?.sets.get(name)?.set;
  }

  origins(): string[] {
    return [...this.zones.keys()];
  }

  /** How many names the zones hold (kept as they change: reading it costs nothing). */
  get nameCount(): number {
    return this.names;
  }

  snapshot(): ZoneSnapshot {
    return {
      zones: [...this.zones.values()].map((zone) => ({ header: zone.header, recordSets: [...zone.sets.values()].map((s) => s.set) })),
    };
  }
}
