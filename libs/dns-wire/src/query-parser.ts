import { EDNS_DO, EdnsOption, Flag, HEADER_LENGTH, MAX_NAME_LENGTH, Opcode, RRType } from './constants';

/** What to do with a request, as {@link parseQuery} judged it. */
export const QueryVerdict = {
  /** A well-formed standard query: answer it. */
  OK: 0,
  /** No reply at all: the header is unreadable, or the packet is itself a response. */
  DROP: 1,
  /** Reply FORMERR (with the question when `questionEnd > 0`, and OPT when `edns`). */
  FORMERR: 2,
  /** An opcode other than QUERY: reply NOTIMP. */
  NOTIMP: 3,
} as const;
export type QueryVerdictCode = (typeof QueryVerdict)[keyof typeof QueryVerdict];

/** Deepest name we track label offsets for: 255 bytes hold at most 127 labels. */
const MAX_LABELS = 128;

/**
 * A parsed request, filled in place by {@link parseQuery} so the per-query path allocates
 * nothing. Offsets point into the request buffer.
 */
export interface ParsedQuery {
  id: number;
  flags: number;
  opcode: number;
  /** The question name is bytes 12..qnameEnd (its terminating zero included). */
  qnameEnd: number;
  labelCount: number;
  /** Offset of each label's length byte: labelOffsets[0] = 12. */
  readonly labelOffsets: Int32Array;
  qtype: number;
  qclass: number;
  /** Offset just after the question; 0 when the question could not be read. */
  questionEnd: number;
  edns: boolean;
  ednsPayload: number;
  ednsVersion: number;
  ednsDo: boolean;
  ecs: boolean;
  ecsFamily: number;
  ecsSourcePrefix: number;
  ecsScopePrefix: number;
  ecsAddressOffset: number;
  ecsAddressLength: number;
}

export function createParsedQuery(): ParsedQuery {
  return {
    id: 0,
    flags: 0,
    opcode: 0,
    qnameEnd: 0,
    labelCount: 0,
    labelOffsets: new Int32Array(MAX_LABELS),
    qtype: 0,
    qclass: 0,
    questionEnd: 0,
    edns: false,
    ednsPayload: 0,
    ednsVersion: 0,
    ednsDo: false,
    ecs: false,
    ecsFamily: 0,
    ecsSourcePrefix: 0,
    ecsScopePrefix: 0,
    ecsAddressOffset: 0,
    ecsAddressLength: 0,
  };
}

/**
 * Reads a request the way an authoritative server must (RFC 1035, 6891, 7871): drops what
 * has no readable header or is a response, NOTIMP for other opcodes, FORMERR for QDCOUNT ≠ 1,
 * bad names, truncated sections, a second OPT, an OPT not at the root, or a malformed ECS
 * option. Never throws and never follows compression pointers, so a loop cannot hang it.
 */
export function parseQuery(msg: Uint8Array, q: ParsedQuery): QueryVerdictCode {
  const length = msg.length;
  q.questionEnd = 0;
  q.edns = false;
  q.ecs = false;
  q.labelCount = 0;
  if (length < HEADER_LENGTH) return QueryVerdict.DROP;
  q.id = ((msg[0] as number) << 8) | (msg[1] as number);
  const flags = ((msg[2] as number) << 8) | (msg[3] as number);
  q.flags = flags;
  if ((flags & Flag.QR) !== 0) return QueryVerdict.DROP;
  q.opcode = (flags >>> 11) & 0xf;
  if (q.opcode !== Opcode.QUERY) return QueryVerdict.NOTIMP;
  const qdcount = ((msg[4] as number) << 8) | (msg[5] as number);
  if (qdcount !== 1) return QueryVerdict.FORMERR;

  // The question name: plain labels only (a pointer could only point into the header).
  let offset = HEADER_LENGTH;
  let labels = 0;
  for (;;) {
    if (offset >= length) return QueryVerdict.FORMERR;
    const len = msg[offset] as number;
    if (len === 0) {
      offset += 1;
      break;
    }
    if (len > 63) return QueryVerdict.FORMERR;
    q.labelOffsets[labels++] = offset;
    offset += len + 1;
    if (offset - HEADER_LENGTH >= MAX_NAME_LENGTH) return QueryVerdict.FORMERR;
  }
  if (offset + 4 > length) return QueryVerdict.FORMERR;
  q.labelCount = labels;
  q.qnameEnd = offset;
  q.qtype = ((msg[offset] as number) << 8) | (msg[offset + 1] as number);
  q.qclass = ((msg[offset + 2] as number) << 8) | (msg[offset + 3] as number);
  offset += 4;
  q.questionEnd = offset;

  // Answer and authority records of a query carry nothing for us, but must be well formed
  // to reach the additional section.
  const others = (((msg[6] as number) << 8) | (msg[7] as number)) + (((msg[8] as number) << 8) | (msg[9] as number));
  for (let i = 0; i < others; i++) {
    offset = skipRecord(msg, offset);
    if (offset < 0) return QueryVerdict.FORMERR;
  }
  const arcount = ((msg[10] as number) << 8) | (msg[11] as number);
  for (let i = 0; i < arcount; i++) {
    const ownerStart = offset;
    offset = skipName(msg, offset);
    if (offset < 0 || offset + 10 > length) return QueryVerdict.FORMERR;
    const type = ((msg[offset] as number) << 8) | (msg[offset + 1] as number);
    const rdlength = ((msg[offset + 8] as number) << 8) | (msg[offset + 9] as number);
    const rdata = offset + 10;
    if (rdata + rdlength > length) return QueryVerdict.FORMERR;
    if (type === RRType.OPT) {
      // RFC 6891 §6.1.1: one OPT, owned by the root.
      if (q.edns || offset !== ownerStart + 1 || msg[ownerStart] !== 0) return QueryVerdict.FORMERR;
      q.edns = true;
      q.ednsPayload = ((msg[offset + 2] as number) << 8) | (msg[offset + 3] as number);
      q.ednsVersion = msg[offset + 5] as number;
      q.ednsDo = ((((msg[offset + 6] as number) << 8) | (msg[offset + 7] as number)) & EDNS_DO) !== 0;
      if (!readOptions(msg, rdata, rdata + rdlength, q)) return QueryVerdict.FORMERR;
    }
    offset = rdata + rdlength;
  }
  return QueryVerdict.OK;
}

/** Reads EDNS options; only ECS matters, the rest are skipped (RFC 6891 §6.1.2). */
function readOptions(msg: Uint8Array, start: number, end: number, q: ParsedQuery): boolean {
  let offset = start;
  while (offset < end) {
    if (offset + 4 > end) return false;
    const code = ((msg[offset] as number) << 8) | (msg[offset + 1] as number);
    const len = ((msg[offset + 2] as number) << 8) | (msg[offset + 3] as number);
    const data = offset + 4;
    if (data + len > end) return false;
    if (code === EdnsOption.ECS && !readEcs(msg, data, len, q)) return false;
    offset = data + len;
  }
  return true;
}

/** RFC 7871 §6: family, source prefix, scope prefix, then exactly ceil(source/8) address bytes. */
function readEcs(msg: Uint8Array, data: number, len: number, q: ParsedQuery): boolean {
  if (q.ecs || len < 4) return false;
  const family = ((msg[data] as number) << 8) | (msg[data + 1] as number);
  const source = msg[data + 2] as number;
  const maxBits = family === 1 ? 32 : family === 2 ? 128 : -1;
  if (maxBits < 0 || source > maxBits) return false;
  const addressLength = len - 4;
  if (addressLength !== (source + 7) >>> 3) return false;
  // Bits beyond the source prefix must be zero (§6: otherwise FORMERR).
  if (addressLength > 0 && (source & 7) !== 0) {
    const last = msg[data + 4 + addressLength - 1] as number;
    if ((last & (0xff >>> (source & 7))) !== 0) return false;
  }
  q.ecs = true;
  q.ecsFamily = family;
  q.ecsSourcePrefix = source;
  q.ecsScopePrefix = msg[data + 3] as number;
  q.ecsAddressOffset = data + 4;
  q.ecsAddressLength = addressLength;
  return true;
}

/** Skips a possibly compressed name; -1 when it is malformed or runs past the end. */
function skipName(msg: Uint8Array, start: number): number {
  let offset = start;
  let total = 0;
  for (;;) {
    if (offset >= msg.length) return -1;
    const len = msg[offset] as number;
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) {
      if (offset + 2 > msg.length) return -1;
      const target = ((len & 0x3f) << 8) | (msg[offset + 1] as number);
      // A pointer must go backwards to something already read.
      return target < offset ? offset + 2 : -1;
    }
    if (len > 63) return -1;
    total += len + 1;
    if (total >= MAX_NAME_LENGTH) return -1;
    offset += len + 1;
  }
}

function skipRecord(msg: Uint8Array, start: number): number {
  const offset = skipName(msg, start);
  if (offset < 0 || offset + 10 > msg.length) return -1;
  const end = offset + 10 + (((msg[offset + 8] as number) << 8) | (msg[offset + 9] as number));
  return end > msg.length ? -1 : end;
}
