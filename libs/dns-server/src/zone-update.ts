import { encodeName, isSubdomain, normalizeName, wireNameHash } from '@meridian/dns-wire';
import { RecordType, type ZoneDelta } from '@meridian/proto';
import type { CompiledZone, CompiledZones, NameNode } from './compiled-zones';
import { apexNode, compiledParts, insertNode, negativeTail, removeNode, sortedProblems, type CompileCache } from './zone-compiler';
import type { ZoneState } from './zone-state';

/**
 * Applies a delta to compiled zones without compiling the whole zone again (ADR 0009): each
 * changed name is recompiled alone and swapped in the hash table, and each zone's apex and
 * negative tail get the new serial. `state` is the zone state with the delta already applied
 * (the ZoneFeed's), `previous` what was compiled from the state before it.
 *
 * Only names that nothing else depends on are updated so: the apex, or a name that is not a
 * delegation point, not glue, has no names below it and is not inside another zone, and —
 * for a name more than one label below the apex — whose change adds or removes no empty
 * non-terminal. Anything else — a header, a zone added or removed, a cut, a new deep branch —
 * returns undefined, and the caller compiles the whole state; the answers are the same
 * either way (the property test checks it against a full compile).
 *
 * `previous` is updated in place and must not be used afterwards: call it synchronously and
 * swap the result in the same turn, so no query sees half of the update.
 */
export function updateCompiledZones(previous: CompiledZones, state: ZoneState, delta: ZoneDelta, version: number, cache: CompileCache): CompiledZones | undefined {
  if (previous.zones.length !== state.zones.size || previous.layouts.size !== state.zones.size) return undefined;
  const origins = [...state.zones.keys()];
  const changed = new Map<string, Set<string>>();
  for (const change of delta.changes) {
    const origin = normalizeName(change.origin);
    const c = change.change;
    if (c === undefined || (c.$case !== 'upsert' && c.$case !== 'removedName')) return undefined;
    const layout = previous.layouts.get(origin);
    const entry = state.zones.get(origin);
    if (layout === undefined || entry === undefined) return undefined;
    const name = normalizeName(c.$case === 'upsert' ? c.upsert.name : c.removedName);
    if (name !== origin) {
      if (!isSubdomain(name, origin)) return undefined;
      if (layout.cuts.has(name) || layout.glueTargets.has(name) || layout.interior.has(name)) return undefined;
      // A deeper name (the witness heartbeat, `<geotag>._witness.<zone>`) is updated alone
      // only when it adds no empty non-terminal and removes none: every name between it and
      // the apex already has names below it, none is a cut, and it is not being removed.
      if (!isDirectChild(name, origin)) {
        if (c.$case === 'removedName') return undefined;
        for (const ancestor of ancestorsBelow(name, origin)) if (!layout.interior.has(ancestor) || layout.cuts.has(ancestor)) return undefined;
      }
      if (origins.some((o) => o !== origin && isSubdomain(name, o))) return undefined;
      const set = entry.recordSets.get(name);
      if (set?.content?.$case === 'records' && set.content.records.records.some((r) => r.type === RecordType.RECORD_TYPE_NS)) return undefined;
    }
    let names = changed.get(origin);
    if (names === undefined) changed.set(origin, (names = new Set()));
    names.add(name);
  }

  const serial = version % 4294967296;
  const names = previous.names as Map<number, NameNode>;
  const nameProblems = previous.nameProblems as Map<string, string>;
  let nameCount = previous.nameCount;
  const zoneByOrigin = new Map<string, CompiledZone>(previous.zones.map((z) => [z.origin, z]));
  for (const [origin, changedNames] of changed) {
    const entry = state.zones.get(origin);
    const zone = zoneByOrigin.get(origin);
    if (entry === undefined || zone === undefined) return undefined;
    const geoTable = previous.geoTables.get(origin);
    for (const name of changedNames) {
      if (name === origin) continue; // the apex is rebuilt below, with every zone's
      const set = entry.recordSets.get(name);
      nameProblems.delete(name);
      if (set === undefined) {
        const wire = encodeName(name);
        if (removeNode(names, wire, wireNameHash(wire, 0, wire.length))) nameCount--;
        continue;
      }
      const parts = compiledParts(name, set, entry.header, geoTable, cache);
      if (parts.problem) nameProblems.set(name, `${name}: ${parts.problem}`);
      if (insertNode(names, { wire: parts.wire, hash: parts.hash, next: undefined, zone, kind: parts.kind, answers: parts.answers, referral: undefined })) nameCount++;
    }
  }

  // The serial follows the version: every zone's negative tail and apex, as a full compile makes them.
  const zoneProblems: string[] = [];
  for (const zone of previous.zones) {
    const entry = state.zones.get(zone.origin);
    const layout = previous.layouts.get(zone.origin);
    if (entry === undefined || layout === undefined) return undefined;
    zoneProblems.push(...layout.headerProblems);
    zone.negative = negativeTail(entry, serial, zoneProblems);
    const wire = encodeName(zone.origin);
    insertNode(names, { wire, hash: wireNameHash(wire, 0, wire.length), next: undefined, zone, ...apexNode(entry, serial, previous.geoTables.get(zone.origin), zoneProblems) });
  }
  return { ...previous, version, names, nameCount, problems: sortedProblems(zoneProblems, nameProblems), nameProblems };
}

/** The names strictly between `name` and `origin`, nearest first. */
function ancestorsBelow(name: string, origin: string): string[] {
  const out: string[] = [];
  let ancestor = name;
  for (;;) {
    const dot = ancestor.indexOf('.');
    if (dot < 0) return out;
    ancestor = ancestor.slice(dot + 1);
    if (ancestor.length <= origin.length) return out;
    out.push(ancestor);
  }
}

/** `name` is one label below `origin`. */
function isDirectChild(name: string, origin: string): boolean {
  if (origin === '') return name !== '' && !name.includes('.');
  return name.length > origin.length + 1 && name.endsWith(`.${origin}`) && !name.slice(0, name.length - origin.length - 1).includes('.');
}
