import { RRClass, RRType, type RData, type ResourceRecord } from '@meridian/dns-wire';
import { formatHeartbeatText } from '@meridian/witness-quorum';

/** The record types the test responder serves. */
export type ZoneRecordType = 'A' | 'AAAA' | 'NS' | 'TXT' | 'CNAME';

export interface ZoneRecord {
  /** Absolute, without a trailing dot. */
  readonly name: string;
  readonly type: ZoneRecordType;
  /** TXT: the character-strings; others: the address or target name. */
  readonly data: string | readonly string[];
  readonly ttl?: number;
}

export interface NameserverRef {
  readonly name: string;
  /** Glue, when the name lies inside the zone or the delegation. */
  readonly address?: string;
}

export interface Delegation {
  readonly name: string;
  readonly nameservers: readonly NameserverRef[];
}

/** A TXT record whose sequence and time move on their own, as a region's heartbeat does. */
export interface HeartbeatRecord {
  readonly name: string;
  readonly region: string;
  /** How often the sequence moves (default 1000 ms). */
  readonly intervalMs?: number;
  /** Default 1 s: the heartbeat is never cached for long. */
  readonly ttl?: number;
}

/** A tiny authoritative zone: enough to stand in for a region's nameservers in tests. */
export interface ZoneSpec {
  readonly origin: string;
  readonly nameservers: readonly NameserverRef[];
  readonly records?: readonly ZoneRecord[];
  readonly delegations?: readonly Delegation[];
  readonly heartbeats?: readonly HeartbeatRecord[];
  /** Default TTL of records (30 s). */
  readonly ttl?: number;
}

export type ZoneRcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED';

export interface ZoneAnswer {
  readonly rcode: ZoneRcode;
  readonly authoritative: boolean;
  readonly answers: ResourceRecord[];
  readonly authorities: ResourceRecord[];
  readonly additionals: ResourceRecord[];
}

/** What the heartbeat says at a moment: its sequence and the time it was written. */
export interface HeartbeatValue {
  readonly sequence: number;
  readonly time: number;
}

const lower = (name: string) => name.replace(/\.$/, '').toLowerCase();
const isAtOrBelow = (name: string, apex: string) => name === apex || name.endsWith(`.${apex}`);
/** Negative answers are cached for one second only, so tests never wait on them. */
const NEGATIVE_TTL = 1;

/**
 * A compiled zone: static records by name, delegation cuts, empty non-terminals (answered
 * NODATA, never NXDOMAIN, which QNAME minimisation depends on), and heartbeat records whose
 * value the caller supplies at query time.
 */
export class ZoneModel {
  readonly origin: string;
  private readonly records = new Map<string, ResourceRecord[]>();
  private readonly existing = new Set<string>();
  private readonly cuts: { name: string; ns: ResourceRecord[]; glue: ResourceRecord[] }[];
  private readonly heartbeats: Map<string, HeartbeatRecord>;
  private readonly soa: ResourceRecord;
  private readonly apexGlue: ResourceRecord[];

  constructor(spec: ZoneSpec) {
    this.origin = lower(spec.origin);
    const ttl = spec.ttl ?? 30;
    const primary = spec.nameservers[0]?.name ?? `ns.${this.origin}`;
    this.soa = {
      name: this.origin,
      type: RRType.SOA,
      class: RRClass.IN,
      ttl: NEGATIVE_TTL,
      data: { kind: 'soa', mname: lower(primary), rname: `hostmaster.${this.origin}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: NEGATIVE_TTL },
    };
    const add = (rr: ResourceRecord) => {
      const list = this.records.get(rr.name) ?? [];
      list.push(rr);
      this.records.set(rr.name, list);
      this.markExisting(rr.name);
    };
    add(this.soa);
    for (const ns of spec.nameservers) add({ name: this.origin, type: RRType.NS, class: RRClass.IN, ttl, data: { kind: 'name', name: lower(ns.name) } });
    this.apexGlue = glue(spec.nameservers, this.origin, ttl);
    for (const rr of this.apexGlue) add(rr);
    for (const r of spec.records ?? []) add(toResourceRecord(r, ttl));
    this.cuts = (spec.delegations ?? [])
      .map((d) => {
        const name = lower(d.name);
        return {
          name,
          ns: d.nameservers.map((ns): ResourceRecord => ({ name, type: RRType.NS, class: RRClass.IN, ttl, data: { kind: 'name', name: lower(ns.name) } })),
          glue: glue(d.nameservers, name, ttl),
        };
      })
      .sort((a, b) => b.name.length - a.name.length);
    for (const cut of this.cuts) this.markExisting(cut.name);
    this.heartbeats = new Map((spec.heartbeats ?? []).map((h) => [lower(h.name), h]));
    for (const name of this.heartbeats.keys()) this.markExisting(name);
  }

  /** The answer to one question; `heartbeat` gives each heartbeat record's current value. */
  answer(qname: string, qtype: number, heartbeat: (record: HeartbeatRecord) => HeartbeatValue): ZoneAnswer {
    const name = lower(qname);
    const empty = { answers: [], authorities: [], additionals: [] };
    if (!isAtOrBelow(name, this.origin)) return { rcode: 'REFUSED', authoritative: false, ...empty };
    const cut = this.cuts.find((c) => isAtOrBelow(name, c.name));
    if (cut) return { rcode: 'NOERROR', authoritative: false, answers: [], authorities: cut.ns, additionals: cut.glue };

    const here = [...(this.records.get(name) ?? [])];
    const hb = this.heartbeats.get(name);
    if (hb) here.push(heartbeatRecord(hb, heartbeat(hb)));
    if (here.length === 0) {
      const rcode = this.existing.has(name) ? 'NOERROR' : 'NXDOMAIN';
      return { rcode, authoritative: true, answers: [], authorities: [this.soa], additionals: [] };
    }
    const cname = here.find((rr) => rr.type === RRType.CNAME);
    const answers = cname && qtype !== RRType.CNAME ? [cname] : here.filter((rr) => qtype === RRType.ANY || rr.type === qtype);
    if (answers.length === 0) return { rcode: 'NOERROR', authoritative: true, answers: [], authorities: [this.soa], additionals: [] };
    const additionals = name === this.origin && qtype === RRType.NS ? this.apexGlue : [];
    return { rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals };
  }

  private markExisting(name: string): void {
    for (let n = name; isAtOrBelow(n, this.origin); n = n.slice(n.indexOf('.') + 1)) {
      this.existing.add(n);
      if (n === this.origin || !n.includes('.')) break;
    }
  }
}

function glue(nameservers: readonly NameserverRef[], apex: string, ttl: number): ResourceRecord[] {
  return nameservers.flatMap((ns) =>
    ns.address !== undefined && isAtOrBelow(lower(ns.name), apex)
      ? [{ name: lower(ns.name), type: ns.address.includes(':') ? RRType.AAAA : RRType.A, class: RRClass.IN, ttl, data: { kind: 'address', address: ns.address } as RData }]
      : [],
  );
}

function toResourceRecord(r: ZoneRecord, ttl: number): ResourceRecord {
  const name = lower(r.name);
  const base = { name, type: RRType[r.type], class: RRClass.IN, ttl: r.ttl ?? ttl };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, data: { kind: 'address', address: String(r.data) } };
    case 'NS':
    case 'CNAME':
      return { ...base, data: { kind: 'name', name: lower(String(r.data)) } };
    case 'TXT':
      return { ...base, data: { kind: 'txt', texts: typeof r.data === 'string' ? [r.data] : [...r.data] } };
  }
}

function heartbeatRecord(record: HeartbeatRecord, value: HeartbeatValue): ResourceRecord {
  return {
    name: lower(record.name),
    type: RRType.TXT,
    class: RRClass.IN,
    ttl: record.ttl ?? 1,
    data: { kind: 'txt', texts: [formatHeartbeatText({ region: record.region, sequence: value.sequence, time: value.time })] },
  };
}
