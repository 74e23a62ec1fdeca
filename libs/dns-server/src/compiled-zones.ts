import { wireNameEquals, wireNameHash } from '@meridian/dns-wire';
import type { AnswerPlan, CidrTable } from '@meridian/strategies';

/**
 * Precomputed record sections for one answer: everything after the question, in wire
 * format, with compression pointers that are valid whatever the question's letter case.
 */
export interface AnswerTail {
  readonly bytes: Buffer;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

/** Slots of {@link NameNode.answers}: one per type we answer, plus the RFC 8482 pick for ANY. */
export const Slot = { CNAME: 0, A: 1, AAAA: 2, TXT: 3, NS: 4, SOA: 5, ANY: 6 } as const;
export const SLOT_COUNT = 7;

export const NodeKind = {
  /** The name owns records (possibly none of the asked type: NODATA). */
  DATA: 0,
  /** An empty non-terminal: NODATA for every type (RFC 8020). */
  EMPTY: 1,
  /** At or below a zone cut: a referral, not authoritative. */
  REFERRAL: 2,
  /** Its record set could not be compiled: SERVFAIL rather than a wrong answer. */
  BROKEN: 3,
} as const;
export type NodeKindCode = (typeof NodeKind)[keyof typeof NodeKind];

export interface CompiledZone {
  readonly origin: string;
  /**
   * SOA in the authority section for NXDOMAIN and NODATA (RFC 2308), serial included. Every
   * node points at its zone, so an incremental update replaces this tail in place (the serial
   * follows the version) instead of touching every node.
   */
  negative: AnswerTail;
}

/**
 * What an incremental update must know about a zone's shape to tell whether a changed name
 * can be recompiled alone (ADR 0009): names that other answers depend on.
 */
export interface ZoneLayout {
  /** Delegation points (names with NS records below the apex). */
  readonly cuts: ReadonlySet<string>;
  /** Names whose addresses are glue in the apex NS answer or in a referral. */
  readonly glueTargets: ReadonlySet<string>;
  /** Every name that has names below it in the zone (empty non-terminals included). */
  readonly interior: ReadonlySet<string>;
  /** Problems of the zone's header (geo routes), kept for the next version's list. */
  readonly headerProblems: readonly string[];
}

/** A name's answer for one type: the precomputed tails per variant, and how to pick one. */
export interface SlotAnswer {
  /** How a variant is picked per query; undefined means variant 0 always. */
  readonly plan: AnswerPlan | undefined;
  /** One per variant; undefined: that variant has no records of this type (NODATA). */
  readonly tails: readonly (AnswerTail | undefined)[];
}

export interface NameNode {
  /** Lower-case wire-format name. */
  readonly wire: Buffer;
  readonly hash: number;
  /** The next node in the same hash bucket. */
  next: NameNode | undefined;
  readonly zone: CompiledZone;
  readonly kind: NodeKindCode;
  /** answers[slot]; undefined: no records of that type (NODATA). */
  readonly answers: readonly (SlotAnswer | undefined)[];
  /** For REFERRAL nodes: the NS records of the cut, plus glue. */
  readonly referral: AnswerTail | undefined;
}

/**
 * Everything one worker answers from, for one zone version. A snapshot compiles a new one,
 * swapped whole; a delta updates the names it changed in place, synchronously, and the
 * result is swapped in the same turn, so no query ever sees half of an update (ADR 0009).
 */
export interface CompiledZones {
  readonly version: number;
  readonly zones: readonly CompiledZone[];
  readonly names: ReadonlyMap<number, NameNode>;
  readonly nameCount: number;
  /** Record sets that could not be compiled (answered SERVFAIL), with the reason. */
  readonly problems: readonly string[];
  /** Per zone origin, its geo CIDR table (kept for tests and Explain-like tooling). */
  readonly geoTables: ReadonlyMap<string, CidrTable | undefined>;
  /** Per zone origin, its shape, for incremental updates. */
  readonly layouts: ReadonlyMap<string, ZoneLayout>;
  /** The problems of individual names (by name), for incremental updates. */
  readonly nameProblems: ReadonlyMap<string, string>;
}

export const EMPTY_COMPILED_ZONES: CompiledZones = {
  version: 0,
  zones: [],
  names: new Map(),
  nameCount: 0,
  problems: [],
  geoTables: new Map(),
  layouts: new Map(),
  nameProblems: new Map(),
};

/** The node for `length` bytes of wire name at `offset` of `message`, case-insensitively. */
export function findNode(zones: CompiledZones, message: Uint8Array, offset: number, length: number): NameNode | undefined {
  let node = zones.names.get(wireNameHash(message, offset, length));
  while (node !== undefined) {
    if (node.wire.length === length && wireNameEquals(message, offset, node.wire)) return node;
    node = node.next;
  }
  return undefined;
}

/** A mutable holder: the listeners read `current` per query; the compiler swaps it. */
export class ZoneHolder {
  current: CompiledZones = EMPTY_COMPILED_ZONES;
}
