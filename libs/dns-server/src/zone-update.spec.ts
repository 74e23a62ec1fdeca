import { RecordType, type RecordSet, type ZoneDelta, type ZoneHeader } from '@meridian/proto';
import fc from 'fast-check';
import { cname, header, host, ORIGIN, plan, records, v4, v6, zone } from '../test/support/zone';
import type { AnswerTail, CompiledZones, SlotAnswer } from './compiled-zones';
import { ServingZones } from './serving-zones';
import { nullLogger } from '@meridian/logging';
import { CompileCache, compileZones } from './zone-compiler';
import { applyDelta, applyDeltaInPlace, stateFromSnapshot, stateToSnapshot, type ZoneState } from './zone-state';
import { updateCompiledZones } from './zone-update';

const CHILD = `kid.${ORIGIN}`;

const hex = (t: AnswerTail | undefined) => (t === undefined ? null : `${t.ancount}/${t.nscount}/${t.arcount}:${t.bytes.toString('hex')}`);
const slot = (a: SlotAnswer | undefined) =>
  a === undefined ? null : { plan: a.plan === undefined ? null : JSON.stringify(a.plan, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)), tails: a.tails.map(hex) };

/** Everything a query can observe of compiled zones, plus the hash table's integrity. */
function observable(compiled: CompiledZones) {
  const nodes: Record<string, unknown> = {};
  let count = 0;
  for (const [hash, head] of compiled.names) {
    for (let node: typeof head | undefined = head; node !== undefined; node = node.next) {
      const key = node.wire.toString('hex');
      if (node.hash !== hash) throw new Error(`${key} is in bucket ${hash} but hashes to ${node.hash}`);
      if (key in nodes) throw new Error(`${key} is in the table twice`);
      count++;
      nodes[key] = { zone: node.zone.origin, negative: hex(node.zone.negative), kind: node.kind, answers: node.answers.map(slot), referral: hex(node.referral) };
    }
  }
  if (count !== compiled.nameCount) throw new Error(`nameCount ${compiled.nameCount}, but the table holds ${count}`);
  return { version: compiled.version, problems: compiled.problems, zones: compiled.zones.map((z) => [z.origin, hex(z.negative)]), nodes };
}

function baseState(): ZoneState {
  const child: ZoneHeader = { ...header(CHILD), geoRoutes: [] };
  return stateFromSnapshot({ zones: [zone(), { header: child, recordSets: [{ ...records('', [[RecordType.RECORD_TYPE_TXT, 'kid']]), name: `x.${CHILD}` }] }] });
}

// Names of every kind the compiler treats differently: plain hosts directly below the apex,
// the apex, NS glue (ns1), a cut (sub) and names below it, deep names and their empty
// non-terminals (a.b.c, b.c, c), a name inside a child zone, and one outside every zone.
const NAMES = ['www', 'geo', 'h1', 'h2', 'h3', 'h4', 'h5', 'alias', 'broken', 'many', 'ns1', 'sub', 'ns.sub', 'x.sub', 'c', 'b.c', 'a.b.c', 'z.b.c', 'q.r', 'kid', 'y.kid', ''];

const address = fc.integer({ min: 1, max: 254 }).map((i) => `192.0.2.${i}`);
const recordSet = (name: string): fc.Arbitrary<RecordSet> => setOf(name).map((set) => ({ ...set, name: name ? `${name}.${ORIGIN}` : ORIGIN }));
const setOf = (name: string): fc.Arbitrary<RecordSet> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.array(address, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((variants) => host(name, plan(variants.map((v) => v.map(v4)), variants.length > 1 ? { $case: 'rotate', rotate: {} } : { $case: 'single', single: {} }))) },
    { weight: 1, arbitrary: address.map((a) => host(name, plan([[v4(a)], [v4('192.0.2.250')], [v4('192.0.2.251')]], { $case: 'geo', geo: { variantByRegion: { eu: 0, us: 1 }, defaultVariant: 2 } }), plan([[v6('2001:db8::5')]]))) },
    { weight: 1, arbitrary: fc.constant(host(name, plan([[v4('192.0.2.1')], [v4('192.0.2.2')]], { $case: 'weighted', weighted: { weights: [1] } }))) },
    { weight: 1, arbitrary: fc.constant(host(name, plan([[cname('target.example.net')]]))) },
    { weight: 1, arbitrary: address.map((a) => records(name, [[RecordType.RECORD_TYPE_A, a], [RecordType.RECORD_TYPE_TXT, `t ${a}`]])) },
    { weight: 1, arbitrary: fc.constant(records(name, [[RecordType.RECORD_TYPE_NS, `ns.${name || 'apex'}.${ORIGIN}`]])) },
  );

const change: fc.Arbitrary<ZoneDelta['changes'][number]> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NAMES).chain((name) => recordSet(name).map((upsert) => ({ origin: ORIGIN, change: { $case: 'upsert' as const, upsert } }))) },
  { weight: 5, arbitrary: fc.constantFrom(...NAMES).map((name) => ({ origin: ORIGIN, change: { $case: 'removedName' as const, removedName: name ? `${name}.${ORIGIN}` : ORIGIN } })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map((ttl) => ({ origin: ORIGIN, change: { $case: 'header' as const, header: { ...header(), nsTtlSeconds: ttl } } })) },
  { weight: 1, arbitrary: recordSet('z').map((s) => ({ origin: CHILD, change: { $case: 'upsert' as const, upsert: { ...s, name: `z.${CHILD}` } } })) },
  // Refused by the feed: a change to a zone that does not exist here.
  { weight: 1, arbitrary: recordSet('u').map((s) => ({ origin: 'unknown.test', change: { $case: 'upsert' as const, upsert: { ...s, name: 'u.unknown.test' } } })) },
);
// Most deltas in production change one host (two names); some change several.
const delta: fc.Arbitrary<ZoneDelta> = fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => ({ changes }));

describe('updateCompiledZones', () => {
  it('serves exactly what a full compile serves, for random delta sequences (and the in-place state matches)', () => {
    let incremental = 0;
    let full = 0;
    fc.assert(
      fc.property(fc.array(delta, { minLength: 1, maxLength: 25 }), (deltas) => {
        const cache = new CompileCache();
        let state = baseState();
        let version = 4294967290; // the serial wraps during the sequence
        let compiled = compileZones(state, version, cache);
        // The feed's own state, changed in place (applyDeltaInPlace), must track the immutable one.
        let owned = baseState();
        for (const d of deltas) {
          let next: ZoneState;
          try {
            next = applyDelta(state, d);
          } catch {
            const before = stateToSnapshot(owned);
            expect(() => applyDeltaInPlace(owned, d)).toThrow();
            expect(stateToSnapshot(owned)).toEqual(before);
            continue; // a delta the feed would refuse never reaches the compiler
          }
          owned = applyDeltaInPlace(owned, d);
          expect(stateToSnapshot(owned)).toEqual(stateToSnapshot(next));
          version++;
          const updated = updateCompiledZones(compiled, next, d, version, cache);
          if (updated) incremental++;
          else full++;
          compiled = updated ?? compileZones(next, version, cache);
          state = next;
          expect(observable(compiled)).toEqual(observable(compileZones(state, version, new CompileCache())));
        }
      }),
      { numRuns: 100 },
    );
    // Both paths ran: host changes were applied incrementally, structural ones fell back.
    expect(incremental).toBeGreaterThan(50);
    expect(full).toBeGreaterThan(50);
  });

  it.each([
    ['a host upsert', 'incremental', { origin: ORIGIN, change: { $case: 'upsert', upsert: host('www', plan([[v4('192.0.2.9')]])) } }],
    ['a host removal', 'incremental', { origin: ORIGIN, change: { $case: 'removedName', removedName: `geo.${ORIGIN}` } }],
    ['a new host', 'incremental', { origin: ORIGIN, change: { $case: 'upsert', upsert: host('new', plan([[v4('192.0.2.9')]])) } }],
    ['a header', 'full', { origin: ORIGIN, change: { $case: 'header', header: { ...header(), nsTtlSeconds: 9 } } }],
    ['a glue name', 'full', { origin: ORIGIN, change: { $case: 'upsert', upsert: records('ns1', [[RecordType.RECORD_TYPE_A, '192.0.2.54']]) } }],
    ['a deep name below existing names', 'incremental', { origin: ORIGIN, change: { $case: 'upsert', upsert: records('z.b.c', [[RecordType.RECORD_TYPE_TXT, 'heartbeat']]) } }],
    ['a deep name in a new branch', 'full', { origin: ORIGIN, change: { $case: 'upsert', upsert: records('q.r', [[RecordType.RECORD_TYPE_A, '192.0.2.54']]) } }],
    ['a new cut', 'full', { origin: ORIGIN, change: { $case: 'upsert', upsert: records('dl', [[RecordType.RECORD_TYPE_NS, 'ns.example.net']]) } }],
  ] as [string, string, ZoneDelta['changes'][number]][])('applies %s: %s', (_what, mode, c) => {
    const serving = new ServingZones(nullLogger);
    const state = baseState();
    serving.serve(state, 10);
    expect(serving.lastApply?.mode).toBe('full');
    const d = { changes: [c] };
    serving.serve(applyDelta(state, d), 11, d);
    expect(serving.lastApply?.mode).toBe(mode);
    expect(serving.version).toBe(11);
  });

  it('compiles in full when the delta does not follow the version served', () => {
    const serving = new ServingZones(nullLogger);
    const state = baseState();
    serving.serve(state, 10);
    const d: ZoneDelta = { changes: [{ origin: ORIGIN, change: { $case: 'removedName', removedName: `www.${ORIGIN}` } }] };
    serving.serve(applyDelta(state, d), 12, d);
    expect(serving.lastApply?.mode).toBe('full');
  });
});
