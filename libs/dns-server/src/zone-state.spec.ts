import { RecordType } from '@meridian/proto';
import { header, ORIGIN, records, zone } from '../test/support/zone';
import { ZoneFeed } from './zone-feed';
import { applyDelta, stateFromSnapshot, stateToSnapshot } from './zone-state';
import { ZoneUpdateError } from './zone-update-error';

const txt = (name: string, text: string) => records(name, [[RecordType.RECORD_TYPE_TXT, text]]);

describe('zone state', () => {
  const base = stateFromSnapshot({ zones: [zone()] });

  it('indexes a snapshot by normalized origin and name', () => {
    const upper = stateFromSnapshot({ zones: [{ header: header('Example.TEST.'), recordSets: [txt('X', 'a')] }] });
    expect([...upper.zones.keys()]).toEqual([ORIGIN]);
    expect([...(upper.zones.get(ORIGIN)?.recordSets.keys() ?? [])]).toEqual([`x.${ORIGIN}`]);
  });

  it.each([
    ['a zone without a header', { zones: [{ header: undefined, recordSets: [] }] }, /no header/],
    ['the same zone twice', { zones: [zone(), zone()] }, /twice/],
  ])('rejects a snapshot with %s', (_name, snapshot, message) => {
    expect(() => stateFromSnapshot(snapshot)).toThrow(message);
  });

  it('applies upserts and removals, sharing every untouched record set', () => {
    const next = applyDelta(base, {
      changes: [
        { origin: ORIGIN, change: { $case: 'upsert', upsert: txt('new', 'x') } },
        { origin: ORIGIN, change: { $case: 'removedName', removedName: `www.${ORIGIN}` } },
      ],
    });
    const sets = next.zones.get(ORIGIN)?.recordSets ?? new Map();
    expect(sets.has(`new.${ORIGIN}`)).toBe(true);
    expect(sets.has(`www.${ORIGIN}`)).toBe(false);
    expect(sets.get(`geo.${ORIGIN}`)).toBe(base.zones.get(ORIGIN)?.recordSets.get(`geo.${ORIGIN}`));
    // The old state is untouched.
    expect(base.zones.get(ORIGIN)?.recordSets.has(`www.${ORIGIN}`)).toBe(true);
  });

  it('adds zones by header, keeps record sets when a header changes, and removes whole zones', () => {
    const added = applyDelta(base, { changes: [{ origin: 'other.test', change: { $case: 'header', header: header('other.test') } }] });
    expect([...added.zones.keys()].sort()).toEqual([ORIGIN, 'other.test']);
    const reheaded = applyDelta(added, { changes: [{ origin: ORIGIN, change: { $case: 'header', header: { ...header(), nsTtlSeconds: 1 } } }] });
    expect(reheaded.zones.get(ORIGIN)?.recordSets.size).toBe(base.zones.get(ORIGIN)?.recordSets.size);
    const removed = applyDelta(reheaded, { changes: [{ origin: 'other.test', change: { $case: 'zoneRemoved', zoneRemoved: true } }] });
    expect([...removed.zones.keys()]).toEqual([ORIGIN]);
  });

  it('applies a delta whole or not at all', () => {
    expect(() =>
      applyDelta(base, {
        changes: [
          { origin: ORIGIN, change: { $case: 'upsert', upsert: txt('first', 'x') } },
          { origin: 'unknown.test', change: { $case: 'upsert', upsert: txt('second', 'y') } },
        ],
      }),
    ).toThrow(ZoneUpdateError);
    expect(base.zones.get(ORIGIN)?.recordSets.has(`first.${ORIGIN}`)).toBe(false);
  });

  it('round-trips through a snapshot', () => {
    expect(stateFromSnapshot(stateToSnapshot(base))).toEqual(base);
  });
});

describe('ZoneFeed', () => {
  it('applies deltas only in order, after a snapshot, and notifies listeners', () => {
    let now = 1000;
    const feed = new ZoneFeed(() => now);
    const seen: number[] = [];
    feed.onChange((_s, version) => seen.push(version));
    const delta = { changes: [{ origin: ORIGIN, change: { $case: 'upsert' as const, upsert: txt('n', 'x') } }] };
    expect(() => feed.apply({ kind: 'delta', epoch: 'e', version: 2, delta })).toThrow(/before any snapshot/);
    feed.apply({ kind: 'snapshot', epoch: 'e', version: 1, snapshot: { zones: [zone()] } });
    expect(() => feed.apply({ kind: 'delta', epoch: 'e', version: 3, delta })).toThrow(/does not follow/);
    expect(() => feed.apply({ kind: 'delta', epoch: 'f', version: 2, delta })).toThrow(/does not follow/);
    now = 2000;
    feed.apply({ kind: 'delta', epoch: 'e', version: 2, delta });
    expect(seen).toEqual([1, 2]);
    expect(feed.version).toBe(2);
    expect(feed.confirmedAtMs).toBe(2000);
  });
});
