import { normalizeName } from '@meridian/dns-wire';
import type { RecordSet, ZoneDelta, ZoneHeader, ZoneSnapshot } from '@meridian/proto';
import { ZoneUpdateError } from './zone-update-error';

/** One zone as records sent it: its apex header and its record sets by (normalized) name. */
export interface ZoneEntry {
  readonly origin: string;
  readonly header: ZoneHeader;
  readonly recordSets: ReadonlyMap<string, RecordSet>;
}

/**
 * Every zone served, as the replica of records' WatchZone stream. Immutable: an update
 * makes a new state that shares every unchanged entry, so the compiler can reuse the
 * answers of unchanged names (it caches by record set identity).
 */
export interface ZoneState {
  readonly zones: ReadonlyMap<string, ZoneEntry>;
}

export const EMPTY_ZONE_STATE: ZoneState = { zones: new Map() };

/** A whole state from a snapshot. Throws ZoneUpdateError for zones without a header or origin. */
export function stateFromSnapshot(snapshot: ZoneSnapshot): ZoneState {
  const zones = new Map<string, ZoneEntry>();
  for (const [i, zone] of snapshot.zones.entries()) {
    const header = zone.header;
    if (!header || normalizeName(header.origin) === '') throw new ZoneUpdateError(`snapshot zone ${i} has no header or origin`);
    const origin = normalizeName(header.origin);
    if (zones.has(origin)) throw new ZoneUpdateError(`snapshot holds zone ${origin} twice`);
    const recordSets = new Map<string, RecordSet>();
    for (const set of zone.recordSets) recordSets.set(normalizeName(set.name), set);
    zones.set(origin, { origin, header, recordSets });
  }
  return { zones };
}

/**
 * Applies a delta as a whole (the state is unchanged if any change is invalid): the new
 * state is built aside, so no reader ever sees half of it.
 */
export function applyDelta(state: ZoneState, delta: ZoneDelta): ZoneState {
  const zones = new Map(state.zones);
  // Zones touched by this delta get their own record-set map, copied once.
  const copied = new Map<string, Map<string, RecordSet>>();
  const writable = (origin: string): Map<string, RecordSet> => {
    let sets = copied.get(origin);
    if (!sets) {
      const entry = zones.get(origin);
      if (!entry) throw new ZoneUpdateError(`delta changes ${origin}, a zone that does not exist here`);
      sets = new Map(entry.recordSets);
      copied.set(origin, sets);
      zones.set(origin, { ...entry, recordSets: sets });
    }
    return sets;
  };
  for (const change of delta.changes) {
    const origin = normalizeName(change.origin);
    const c = change.change;
    if (!c) throw new ZoneUpdateError(`delta has an empty change for ${origin}`);
    switch (c.$case) {
      case 'header': {
        const existing = zones.get(origin);
        const recordSets = copied.get(origin) ?? existing?.recordSets ?? new Map<string, RecordSet>();
        zones.set(origin, { origin, header: c.header, recordSets });
        break;
      }
      case 'upsert':
        writable(origin).set(normalizeName(c.upsert.name), c.upsert);
        break;
      case 'removedName':
        if (zones.has(origin)) writable(origin).delete(normalizeName(c.removedName));
        break;
      case 'zoneRemoved':
        zones.delete(origin);
        copied.delete(origin);
        break;
    }
  }
  return { zones };
}

/**
 * Applies a delta to a state that nobody else holds (the ZoneFeed's own), changing its
 * record-set maps in place: the cost follows the delta, not the zone (copying the record sets
 * of a 100,000-host zone per delta costs about 100 ms; ADR 0009). The delta is checked first,
 * so an invalid one changes nothing, as with `applyDelta`. Returns the new state; the state
 * passed in must not be used afterwards.
 */
export function applyDeltaInPlace(state: ZoneState, delta: ZoneDelta): ZoneState {
  // Check the whole delta against the zones as it adds and removes them, before any change.
  const origins = new Set(state.zones.keys());
  for (const change of delta.changes) {
    const origin = normalizeName(change.origin);
    const c = change.change;
    if (!c) throw new ZoneUpdateError(`delta has an empty change for ${origin}`);
    if (c.$case === 'header') origins.add(origin);
    else if (c.$case === 'zoneRemoved') origins.delete(origin);
    else if (c.$case === 'upsert' && !origins.has(origin)) throw new ZoneUpdateError(`delta changes ${origin}, a zone that does not exist here`);
  }
  const zones = new Map(state.zones);
  for (const change of delta.changes) {
    const origin = normalizeName(change.origin);
    const c = change.change as NonNullable<typeof change.change>;
    switch (c.$case) {
      case 'header': {
        const existing = zones.get(origin);
        zones.set(origin, { origin, header: c.header, recordSets: existing?.recordSets ?? new Map<string, RecordSet>() });
        break;
      }
      case 'upsert':
        (zones.get(origin)?.recordSets as Map<string, RecordSet>).set(normalizeName(c.upsert.name), c.upsert);
        break;
      case 'removedName':
        (zones.get(origin)?.recordSets as Map<string, RecordSet> | undefined)?.delete(normalizeName(c.removedName));
        break;
      case 'zoneRemoved':
        zones.delete(origin);
        break;
    }
  }
  return { zones };
}

/** The state as a snapshot message, for a worker that (re)starts. */
export function stateToSnapshot(state: ZoneState): ZoneSnapshot {
  return {
    zones: [...state.zones.values()].map((entry) => ({ header: entry.header, recordSets: [...entry.recordSets.values()] })),
  };
}
