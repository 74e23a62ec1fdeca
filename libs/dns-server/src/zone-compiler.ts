import { encodeName, isSubdomain, MessageWriter, nameLabels, normalizeName, RRClass, RRType, splitTxt, wireNameHash, type ResourceRecord } from '@meridian/dns-wire';
import { AddressFamily, RecordType, type AnswerPlan as ProtoPlan, type HostAnswers, type RecordSet, type ZoneHeader } from '@meridian/proto';
import { compileCidrTable, type AnswerPlan, type CidrTable, type VariantSelector } from '@meridian/strategies';
import { NodeKind, Slot, SLOT_COUNT, type AnswerTail, type CompiledZone, type CompiledZones, type NameNode, type NodeKindCode, type SlotAnswer, type ZoneLayout } from './compiled-zones';
import type { ZoneEntry, ZoneState } from './zone-state';

/** What a record set compiles to, independent of the zone version (so it can be cached). */
export interface NodeParts {
  /** The owner name in wire format and its hash, kept so a recompile skips encoding. */
  readonly wire?: Buffer;
  readonly hash?: number;
  readonly kind: NodeKindCode;
  readonly answers: (SlotAnswer | undefined)[];
  readonly problem?: string;
}

interface CacheEntry {
  readonly header: ZoneHeader;
  readonly parts: NodeParts;
}

/**
 * Remembers compiled record sets by identity, so applying a delta recompiles only the names
 * it changed (plus each zone's apex, whose SOA serial follows the version).
 */
export class CompileCache {
  readonly entries = new WeakMap<RecordSet, CacheEntry>();
}

const DEFAULT_SOA = { refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 30 };

/**
 * Compiles every zone into precomputed wire answers: per name, per type, per variant. Pure
 * apart from the cache; a record set that cannot be compiled becomes a SERVFAIL node and is
 * listed in `problems` instead of failing the whole zone. A delta can then be applied to the
 * result with `updateCompiledZones` (zone-update.ts) instead of compiling again.
 */
export function compileZones(state: ZoneState, version: number, cache: CompileCache = new CompileCache()): CompiledZones {
  const serial = version % 4294967296;
  const names = new Map<number, NameNode>();
  const zoneProblems: string[] = [];
  const nameProblems = new Map<string, string>();
  const geoTables = new Map<string, CidrTable | undefined>();
  const layouts = new Map<string, ZoneLayout>();
  const zones: CompiledZone[] = [];
  let nameCount = 0;
  const insert = (name: string, zone: CompiledZone, parts: Omit<NameNode, 'wire' | 'hash' | 'next' | 'zone'>, known?: { wire: Buffer; hash: number }) => {
    const wire = known?.wire ?? encodeName(name);
    const hash = known?.hash ?? wireNameHash(wire, 0, wire.length);
    if (insertNode(names, { wire, hash, next: undefined, zone, ...parts })) nameCount++;
  };

  // Parents first, so a child zone's names replace what its parent says about them.
  const entries = [...state.zones.values()].sort((a, b) => nameLabels(a.origin).length - nameLabels(b.origin).length);
  for (const entry of entries) {
    const origin = entry.origin;
    let geoTable: CidrTable | undefined;
    const headerProblems: string[] = [];
    try {
      geoTable = entry.header.geoRoutes.length === 0 ? undefined : compileCidrTable(entry.header.geoRoutes.map((r) => ({ cidr: r.cidr, geoTag: r.region })));
    } catch (err) {
      headerProblems.push(`${origin}: geo routes: ${(err as Error).message}`);
    }
    geoTables.set(origin, geoTable);
    const zone: CompiledZone = { origin, negative: negativeTail(entry, serial, zoneProblems) };
    zones.push(zone);

    const cuts = [...entry.recordSets.entries()]
      .filter(([name, set]) => name !== origin && staticOf(set).some((r) => r.type === RecordType.RECORD_TYPE_NS))
      .map(([name]) => name);
    const referrals = new Map(cuts.map((cut) => [cut, referralTail(entry, cut)]));
    const cutOf = (name: string) => cuts.find((cut) => isSubdomain(name, cut));

    const present = new Set<string>([origin]);
    for (const [name, set] of entry.recordSets) {
      if (name === origin) continue;
      if (!isSubdomain(name, origin)) {
        nameProblems.set(name, `${name}: not inside zone ${origin}; ignored`);
        continue;
      }
      present.add(name);
      const cut = cutOf(name);
      if (cut !== undefined) {
        insert(name, zone, { kind: NodeKind.REFERRAL, answers: [], referral: referrals.get(cut) });
        continue;
      }
      const parts = compiledParts(name, set, entry.header, geoTable, cache);
      if (parts.problem) nameProblems.set(name, `${name}: ${parts.problem}`);
      insert(name, zone, { kind: parts.kind, answers: parts.answers, referral: undefined }, parts);
    }

    // Empty non-terminals between each name and the apex answer NODATA, not NXDOMAIN. A walk
    // stops at the first ancestor already known: its own ancestors are (or will be) walked.
    const interior = new Set<string>();
    for (const name of [...present]) {
      let ancestor = name;
      for (;;) {
        const dot = ancestor.indexOf('.');
        if (dot < 0) break;
        ancestor = ancestor.slice(dot + 1);
        if (ancestor.length <= origin.length || interior.has(ancestor) || !isSubdomain(ancestor, origin)) break;
        interior.add(ancestor);
        if (present.has(ancestor)) break;
        present.add(ancestor);
        const cut = cutOf(ancestor);
        insert(ancestor, zone, cut !== undefined
          ? { kind: NodeKind.REFERRAL, answers: [], referral: referrals.get(cut) }
          : { kind: NodeKind.EMPTY, answers: [], referral: undefined });
      }
    }

    const glueTargets = new Set<string>([...entry.header.nameservers.map(normalizeName), ...cuts.flatMap((cut) => nsTargets(entry, cut))]);
    layouts.set(origin, { cuts: new Set(cuts), glueTargets, interior, headerProblems });
    zoneProblems.push(...headerProblems);
    insert(origin, zone, apexParts(entry, soaRecord(entry, serial, []), geoTable, zoneProblems));
  }
  return { version, zones, names, nameCount, problems: sortedProblems(zoneProblems, nameProblems), geoTables, layouts, nameProblems };
}

/** Zone-level problems, then each name's, in one stable order whatever the path that built them. */
export function sortedProblems(zoneProblems: readonly string[], nameProblems: ReadonlyMap<string, string>): string[] {
  return [...zoneProblems, ...nameProblems.values()].sort();
}

/** A record set's compiled parts, from the cache when the set (by identity) and the header are unchanged. */
export function compiledParts(name: string, set: RecordSet, header: ZoneHeader, geoTable: CidrTable | undefined, cache: CompileCache): NodeParts & { wire: Buffer; hash: number } {
  const cached = cache.entries.get(set);
  if (cached && cached.header === header && cached.parts.wire && cached.parts.hash !== undefined) return cached.parts as NodeParts & { wire: Buffer; hash: number };
  const wire = encodeName(name);
  const parts = { ...compileRecordSet(name, set, geoTable), wire, hash: wireNameHash(wire, 0, wire.length) };
  cache.entries.set(set, { header, parts });
  return parts;
}

/**
 * Puts `node` into the hash table, replacing the node of the same name if there is one.
 * Returns true when the name is new.
 */
export function insertNode(names: Map<number, NameNode>, node: NameNode): boolean {
  let head = names.get(node.hash);
  if (head === undefined) {
    names.set(node.hash, node);
    return true;
  }
  if (head.wire.equals(node.wire)) {
    node.next = head.next;
    names.set(node.hash, node);
    return false;
  }
  while (head.next !== undefined && !head.next.wire.equals(node.wire)) head = head.next;
  const replaced = head.next !== undefined;
  if (head.next !== undefined) node.next = head.next.next;
  head.next = node;
  return !replaced;
}

/** Takes the node of this name out of the hash table; true when there was one. */
export function removeNode(names: Map<number, NameNode>, wire: Buffer, hash: number): boolean {
  let node = names.get(hash);
  let previous: NameNode | undefined;
  while (node !== undefined && !node.wire.equals(wire)) {
    previous = node;
    node = node.next;
  }
  if (node === undefined) return false;
  if (previous !== undefined) previous.next = node.next;
  else if (node.next !== undefined) names.set(hash, node.next);
  else names.delete(hash);
  return true;
}

/** The SOA tail of NXDOMAIN and NODATA answers for this zone at this serial. */
export function negativeTail(entry: ZoneEntry, serial: number, problems: string[]): AnswerTail {
  const soa = soaRecord(entry, serial, problems);
  const negativeTtl = Math.min(soa.ttl, (soa.data as { minimum: number }).minimum);
  return tail({ name: entry.origin, type: RRType.SOA, question: entry.origin, authority: [{ ...soa, ttl: negativeTtl }], compress: false });
}

/** The apex node's parts at this serial (SOA and NS from the header, static apex records). */
export function apexNode(entry: ZoneEntry, serial: number, geoTable: CidrTable | undefined, problems: string[]): Omit<NameNode, 'wire' | 'hash' | 'next' | 'zone'> {
  return apexParts(entry, soaRecord(entry, serial, []), geoTable, problems);
}

/** The names a cut's NS records point at (their A/AAAA in the zone are glue). */
function nsTargets(entry: ZoneEntry, cut: string): string[] {
  const set = entry.recordSets.get(cut);
  return set ? staticOf(set).filter((r) => r.type === RecordType.RECORD_TYPE_NS).map((r) => normalizeName(r.data)) : [];
}

function soaRecord(entry: ZoneEntry, serial: number, problems: string[]): ResourceRecord {
  const soa = entry.header.soa;
  if (!soa) problems.push(`${entry.origin}: no SOA parameters; using defaults`);
  const mname = soa?.mname || entry.header.nameservers[0] || `ns.${entry.origin}`;
  const rname = soa?.rname || `hostmaster.${entry.origin}`;
  const p = soa ?? DEFAULT_SOA;
  return {
    name: entry.origin,
    type: RRType.SOA,
    class: RRClass.IN,
    ttl: p.ttlSeconds,
    data: { kind: 'soa', mname: normalizeName(mname), rname: normalizeName(rname), serial, refresh: p.refresh, retry: p.retry, expire: p.expire, minimum: p.minimum },
  };
}

/** The apex: SOA and NS from the header, plus whatever static records records put there. */
function apexParts(entry: ZoneEntry, soa: ResourceRecord, geoTable: CidrTable | undefined, problems: string[]): Omit<NameNode, 'wire' | 'hash' | 'next' | 'zone'> {
  const origin = entry.origin;
  const ns: ResourceRecord[] = entry.header.nameservers.map((n) => ({
    name: origin,
    type: RRType.NS,
    class: RRClass.IN,
    ttl: entry.header.nsTtlSeconds,
    data: { kind: 'name', name: normalizeName(n) },
  }));
  const apexSet = entry.recordSets.get(origin);
  const answers: (SlotAnswer | undefined)[] = new Array<SlotAnswer | undefined>(SLOT_COUNT).fill(undefined);
  if (apexSet) {
    const parts = compileRecordSet(origin, apexSet, geoTable);
    if (parts.problem) problems.push(`${origin}: ${parts.problem}`);
    // A CNAME cannot live at an apex (RFC 1912 §2.4).
    if (parts.kind === NodeKind.DATA) for (const slot of [Slot.A, Slot.AAAA, Slot.TXT]) answers[slot] = parts.answers[slot];
  }
  answers[Slot.SOA] = fixed(tail({ name: origin, type: RRType.SOA, answers: [soa] }));
  if (ns.length > 0) answers[Slot.NS] = fixed(tail({ name: origin, type: RRType.NS, answers: ns, additional: glueFor(entry, ns) }));
  answers[Slot.ANY] = answers[Slot.SOA];
  return { kind: NodeKind.DATA, answers, referral: undefined };
}

/** An answer with one variant. */
function fixed(t: AnswerTail | undefined): SlotAnswer | undefined {
  return t === undefined ? undefined : { plan: undefined, tails: [t] };
}

function staticOf(set: RecordSet) {
  return set.content?.$case === 'records' ? set.content.records.records : [];
}

/** A or AAAA records in this zone for the given names (glue for NS answers and referrals). */
function glueFor(entry: ZoneEntry, nsRecords: ResourceRecord[]): ResourceRecord[] {
  const glue: ResourceRecord[] = [];
  for (const r of nsRecords) {
    const target = (r.data as { name: string }).name;
    const set = entry.recordSets.get(target);
    if (!set) continue;
    for (const record of staticOf(set)) {
      if (record.type === RecordType.RECORD_TYPE_A || record.type === RecordType.RECORD_TYPE_AAAA) {
        glue.push({
          name: target,
          type: record.type === RecordType.RECORD_TYPE_A ? RRType.A : RRType.AAAA,
          class: RRClass.IN,
          ttl: set.ttlSeconds,
          data: { kind: 'address', address: record.data },
        });
      }
    }
  }
  return glue;
}

/** The referral for names at or below a cut: NS in authority, glue in additional, not authoritative. */
function referralTail(entry: ZoneEntry, cut: string): AnswerTail {
  const set = entry.recordSets.get(cut) as RecordSet;
  const ns: ResourceRecord[] = staticOf(set)
    .filter((r) => r.type === RecordType.RECORD_TYPE_NS)
    .map((r) => ({ name: cut, type: RRType.NS, class: RRClass.IN, ttl: set.ttlSeconds, data: { kind: 'name', name: normalizeName(r.data) } }));
  return tail({ name: cut, type: RRType.NS, authority: ns, additional: glueFor(entry, ns), compress: false });
}

/** Compiles one name's records; never throws (a bad set becomes a BROKEN node with its reason). */
export function compileRecordSet(name: string, set: RecordSet, geoTable: CidrTable | undefined): NodeParts {
  try {
    if (set.content?.$case === 'host') return { kind: NodeKind.DATA, answers: compileHost(name, set.ttlSeconds, set.content.host, geoTable) };
    return { kind: NodeKind.DATA, answers: compileStatic(name, set) };
  } catch (err) {
    return { kind: NodeKind.BROKEN, answers: [], problem: (err as Error).message };
  }
}

function compileStatic(name: string, set: RecordSet): (SlotAnswer | undefined)[] {
  const byType = new Map<number, ResourceRecord[]>();
  for (const r of staticOf(set)) {
    const type = RR_TYPE_OF[r.type];
    if (type === undefined || type === RRType.SOA) continue;
    const data: ResourceRecord['data'] =
      type === RRType.A || type === RRType.AAAA
        ? { kind: 'address', address: r.data }
        : type === RRType.TXT
          ? { kind: 'txt', texts: splitTxt(r.data) }
          : { kind: 'name', name: normalizeName(r.data) };
    const list = byType.get(type) ?? [];
    list.push({ name, type, class: RRClass.IN, ttl: set.ttlSeconds, data });
    byType.set(type, list);
  }
  const answers = new Array<SlotAnswer | undefined>(SLOT_COUNT).fill(undefined);
  const put = (slot: number, type: number, records: ResourceRecord[] | undefined) => {
    if (records && records.length > 0) answers[slot] = fixed(tail({ name, type, answers: records }));
  };
  // A CNAME owner has no other data (RFC 1034 §3.6.2): one CNAME answers every type.
  const cname = byType.get(RRType.CNAME);
  if (cname && cname.length > 0) {
    put(Slot.CNAME, RRType.CNAME, cname.slice(0, 1));
  } else {
    put(Slot.A, RRType.A, byType.get(RRType.A));
    put(Slot.AAAA, RRType.AAAA, byType.get(RRType.AAAA));
    put(Slot.TXT, RRType.TXT, byType.get(RRType.TXT));
  }
  answers[Slot.ANY] = firstOf(answers);
  return answers;
}

/**
 * A GSLB host: plan `a` answers A queries and, where its targets are names, a CNAME for
 * every type; plan `aaaa` answers AAAA. Each keeps its own variants and selector.
 */
function compileHost(name: string, ttl: number, host: HostAnswers, geoTable: CidrTable | undefined): (SlotAnswer | undefined)[] {
  const answers = new Array<SlotAnswer | undefined>(SLOT_COUNT).fill(undefined);
  if (host.a) {
    const plan = selectionPlan(host.a, ttl, geoTable);
    const cnames = host.a.variants.map((variant) => {
      const first = variant.targets[0];
      if (first?.family !== AddressFamily.ADDRESS_FAMILY_NAME) return undefined;
      return tail({
        name,
        type: RRType.CNAME,
        answers: [{ name, type: RRType.CNAME, class: RRClass.IN, ttl, data: { kind: 'name', name: normalizeName(first.address) } }],
      });
    });
    if (cnames.some((t) => t !== undefined)) answers[Slot.CNAME] = { plan, tails: cnames };
    answers[Slot.A] = { plan, tails: addressTails(name, ttl, host.a, RRType.A, AddressFamily.ADDRESS_FAMILY_IPV4) };
  }
  if (host.aaaa) {
    answers[Slot.AAAA] = {
      plan: selectionPlan(host.aaaa, ttl, geoTable),
      tails: addressTails(name, ttl, host.aaaa, RRType.AAAA, AddressFamily.ADDRESS_FAMILY_IPV6),
    };
  }
  answers[Slot.ANY] = firstOf(answers);
  return answers;
}

function addressTails(name: string, ttl: number, plan: ProtoPlan, type: number, family: AddressFamily): (AnswerTail | undefined)[] {
  const tails = plan.variants.map((variant) => {
    const records: ResourceRecord[] = variant.targets
      .filter((t) => t.family === family)
      .map((t) => ({ name, type, class: RRClass.IN, ttl, data: { kind: 'address', address: t.address } }));
    return records.length === 0 ? undefined : tail({ name, type, answers: records });
  });
  return tails.length === 0 ? [undefined] : tails;
}

/** The RFC 8482 minimal answer to ANY: one RRset that exists. */
function firstOf(answers: (SlotAnswer | undefined)[]): SlotAnswer | undefined {
  for (const slot of [Slot.CNAME, Slot.A, Slot.AAAA, Slot.TXT]) {
    const answer = answers[slot];
    if (answer && answer.tails.some((t) => t !== undefined)) return answer;
  }
  return undefined;
}

/**
 * The strategies library's per-query view of a plan. Only the variant count and the selector
 * matter to selectVariant, so the variants are placeholders; the answers are the tails.
 */
function selectionPlan(plan: ProtoPlan, ttl: number, geoTable: CidrTable | undefined): AnswerPlan | undefined {
  const count = plan.variants.length;
  const selector = plan.selector;
  if (count <= 1 || !selector || selector.$case === 'single') return undefined;
  const check = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= count) throw new Error(`${what} points at variant ${v}, but the plan has ${count}`);
    return v;
  };
  let kind: VariantSelector;
  switch (selector.$case) {
    case 'rotate':
      kind = { kind: 'rotate' };
      break;
    case 'weighted':
      if (selector.weighted.weights.length !== count) throw new Error(`${selector.weighted.weights.length} weights for ${count} variants`);
      kind = { kind: 'weighted', weights: [...selector.weighted.weights] };
      break;
    case 'geo': {
      const geo = selector.geo;
      const byRegion: Record<string, number> = {};
      for (const [region, v] of Object.entries(geo.variantByRegion)) byRegion[region] = check(v, `region ${region}`);
      const defaultVariant = check(geo.defaultVariant, 'the default variant');
      kind = {
        kind: 'geo',
        ...(geoTable ? { table: geoTable } : {}),
        regionVariant: (geoTable?.geoTags ?? []).map((tag) => byRegion[tag] ?? defaultVariant),
        variantByGeoTag: byRegion,
        defaultVariant,
      };
      break;
    }
  }
  return {
    strategy: 'roundRobin',
    ttlSeconds: ttl,
    variants: Array.from({ length: count }, () => []),
    selector: kind,
    failOpen: plan.failOpen,
    empty: false,
    fallback: 'none',
    decisions: [],
  };
}

const RR_TYPE_OF: Record<number, number | undefined> = {
  [RecordType.RECORD_TYPE_A]: RRType.A,
  [RecordType.RECORD_TYPE_AAAA]: RRType.AAAA,
  [RecordType.RECORD_TYPE_CNAME]: RRType.CNAME,
  [RecordType.RECORD_TYPE_TXT]: RRType.TXT,
  [RecordType.RECORD_TYPE_NS]: RRType.NS,
  [RecordType.RECORD_TYPE_SOA]: RRType.SOA,
};

interface TailSpec {
  /** The question name the tail is written after (its pointers may point into it). */
  name: string;
  type: number;
  question?: string;
  answers?: ResourceRecord[];
  authority?: ResourceRecord[];
  additional?: ResourceRecord[];
  /** False for tails sent after questions of other names (NXDOMAIN, referrals). */
  compress?: boolean;
}

function tail(spec: TailSpec): AnswerTail {
  const writer = new MessageWriter(spec.compress ?? true);
  writer.header({ id: 0, flags: 0, qdcount: 1 });
  writer.question(spec.question ?? spec.name, spec.type);
  const start = writer.offset;
  const answers = spec.answers ?? [];
  const authority = spec.authority ?? [];
  const additional = spec.additional ?? [];
  for (const r of [...answers, ...authority, ...additional]) writer.record(r);
  return {
    bytes: Buffer.from(writer.finish().subarray(start)),
    ancount: answers.length,
    nscount: authority.length,
    arcount: additional.length,
  };
}
