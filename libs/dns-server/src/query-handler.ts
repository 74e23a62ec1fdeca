import { CLASSIC_UDP_PAYLOAD, createParsedQuery, HEADER_LENGTH, parseQuery, QueryVerdict, RCode, RRType, type ParsedQuery } from '@meridian/dns-wire';
import { addressFromBytes, createParsedAddress, createVariantChoice, parseAddress, selectVariant, type AnswerPlan, type ParsedAddress, type SelectOptions } from '@meridian/strategies';
import { findNode, NodeKind, Slot, type AnswerTail, type ZoneHolder } from './compiled-zones';
import { QTYPE_NONE, qtypeIndex, rcodeIndex, type QueryStats, type TransportIndex } from './query-stats';

export const UDP: TransportIndex = 0;
export const TCP: TransportIndex = 1;

export interface QueryHandlerOptions {
  zones: ZoneHolder;
  /** The EDNS payload size we advertise, and the most we send over UDP (RFC 6891). */
  ednsPayloadSize: number;
  stats: QueryStats;
  /** In [0, 1); draws rotations and weighted picks. Injected so tests are deterministic. */
  random: () => number;
}

/**
 * The per-query path. Parses the request in place, finds the name's precomputed answer,
 * picks a variant (rotation, weight or client subnet) and writes the reply: the header, the
 * question copied from the request (so 0x20 case is kept), the precomputed sections, then OPT
 * (with ECS echoed) when the request had one. Allocates only the reply buffer, logs nothing,
 * and never throws: a failure becomes SERVFAIL.
 */
export class QueryHandler {
  private readonly q: ParsedQuery = createParsedQuery();
  private readonly client: ParsedAddress = createParsedAddress();
  private readonly selectOptions: SelectOptions = { out: createVariantChoice() };
  /** ECS address bytes, one buffer per length, so addressFromBytes gets an exact-length view without allocating. */
  private readonly ecsBytes: Uint8Array[] = Array.from({ length: 17 }, (_, n) => new Uint8Array(n));
  private readonly zones: ZoneHolder;
  private readonly payloadSize: number;
  private readonly stats: QueryStats;
  private readonly random: () => number;

  constructor(options: QueryHandlerOptions) {
    this.zones = options.zones;
    this.payloadSize = options.ednsPayloadSize;
    this.stats = options.stats;
    this.random = options.random;
  }

  /**
   * The reply to `msg`, or undefined when nothing must be sent. Over TCP (`transport` 1) the
   * reply starts with its two-byte length.
   */
  handle(msg: Buffer, transport: TransportIndex, clientAddress: string): Buffer | undefined {
    try {
      return this.answer(msg, transport, clientAddress);
    } catch {
      return this.servfail(msg, transport);
    }
  }

  private answer(msg: Buffer, transport: TransportIndex, clientAddress: string): Buffer | undefined {
    const q = this.q;
    const verdict = parseQuery(msg, q);
    if (verdict === QueryVerdict.DROP) {
      this.stats.dropped(msg.length < HEADER_LENGTH ? 0 : 1);
      return undefined;
    }
    const qt = q.questionEnd > 0 ? qtypeIndex(q.qtype) : QTYPE_NONE;
    if (verdict === QueryVerdict.NOTIMP) return this.reply(msg, transport, RCode.NOTIMP, false, undefined, 0, qt, false);
    if (verdict === QueryVerdict.FORMERR) return this.reply(msg, transport, RCode.FORMERR, false, undefined, 0, qt, q.questionEnd > 0);
    if (q.edns && q.ednsVersion !== 0) return this.reply(msg, transport, RCode.BADVERS, false, undefined, 0, qt, true);
    if (q.qclass !== 1) return this.reply(msg, transport, RCode.REFUSED, false, undefined, 0, qt, true);
    const qtype = q.qtype;
    if (qtype === RRType.AXFR || qtype === RRType.IXFR) return this.reply(msg, transport, RCode.REFUSED, false, undefined, 0, qt, true);
    if ((qtype >= 128 && qtype <= 254) || qtype === RRType.OPT || qtype === 0) {
      return this.reply(msg, transport, qtype === RRType.OPT ? RCode.FORMERR : RCode.NOTIMP, false, undefined, 0, qt, true);
    }

    const zones = this.zones.current;
    const node = findNode(zones, msg, HEADER_LENGTH, q.qnameEnd - HEADER_LENGTH);
    if (node !== undefined) {
      switch (node.kind) {
        case NodeKind.REFERRAL:
          return this.reply(msg, transport, RCode.NOERROR, false, node.referral, 0, qt, true);
        case NodeKind.EMPTY:
          return this.reply(msg, transport, RCode.NOERROR, true, node.zone.negative, 0, qt, true);
        case NodeKind.BROKEN:
          return this.reply(msg, transport, RCode.SERVFAIL, false, undefined, 0, qt, true);
      }
      const answers = node.answers;
      // A name answered by a CNAME answers it for every type (RFC 1034 §3.6.2).
      const cname = answers[Slot.CNAME];
      let chosenPlan: AnswerPlan | undefined;
      let variant = 0;
      if (cname !== undefined) {
        variant = this.pick(cname.plan, msg, clientAddress);
        chosenPlan = cname.plan;
        const tail = cname.tails[variant];
        if (tail !== undefined) return this.reply(msg, transport, RCode.NOERROR, true, tail, this.scopeOf(cname.plan), qt, true);
      }
      const slot = slotOf(qtype);
      const answer = slot >= 0 ? answers[slot] : undefined;
      if (answer === undefined) return this.reply(msg, transport, RCode.NOERROR, true, node.zone.negative, chosenPlan ? this.scopeOf(chosenPlan) : 0, qt, true);
      // The A slot shares plan `a` with the CNAME slot: keep the variant already drawn.
      if (answer.plan !== chosenPlan || chosenPlan === undefined) variant = this.pick(answer.plan, msg, clientAddress);
      const tail = answer.tails[variant];
      return this.reply(msg, transport, RCode.NOERROR, true, tail ?? node.zone.negative, this.scopeOf(answer.plan), qt, true);
    }

    // Not a name we hold: the closest enclosing name decides NXDOMAIN, referral or REFUSED.
    for (let k = 1; k < q.labelCount; k++) {
      const offset = q.labelOffsets[k] as number;
      const ancestor = findNode(zones, msg, offset, q.qnameEnd - offset);
      if (ancestor === undefined) continue;
      if (ancestor.kind === NodeKind.REFERRAL) return this.reply(msg, transport, RCode.NOERROR, false, ancestor.referral, 0, qt, true);
      return this.reply(msg, transport, RCode.NXDOMAIN, true, ancestor.zone.negative, 0, qt, true);
    }
    return this.reply(msg, transport, RCode.REFUSED, false, undefined, 0, qt, true);
  }

  /** Draws the variant to answer; the choice (and its ECS scope) stays in selectOptions.out. */
  private pick(plan: AnswerPlan | undefined, msg: Buffer, clientAddress: string): number {
    if (plan === undefined) return 0;
    return selectVariant(plan, this.random(), this.clientFor(plan, msg, clientAddress), this.selectOptions).variant;
  }

  /** The ECS scope of the last pick from `plan`: 0 when the answer does not depend on the subnet. */
  private scopeOf(plan: AnswerPlan | undefined): number {
    return plan === undefined || plan.selector.kind !== 'geo' ? 0 : (this.selectOptions.out as { ecsScope: number }).ecsScope;
  }

  /** The client subnet for a geo plan: ECS when present (source prefix 0: none), else the source address. */
  private clientFor(plan: AnswerPlan, msg: Buffer, clientAddress: string): ParsedAddress | undefined {
    if (plan.selector.kind !== 'geo') return undefined;
    const q = this.q;
    if (!q.ecs) return parseAddress(clientAddress, this.client);
    if (q.ecsSourcePrefix === 0) return undefined;
    const bytes = this.ecsBytes[q.ecsAddressLength] as Uint8Array;
    for (let i = 0; i < bytes.length; i++) bytes[i] = msg[q.ecsAddressOffset + i] as number;
    return addressFromBytes(q.ecsFamily === 1 ? 4 : 6, bytes, q.ecsSourcePrefix, this.client);
  }

  private reply(
    msg: Buffer,
    transport: TransportIndex,
    rcode: number,
    authoritative: boolean,
    tail: AnswerTail | undefined,
    scope: number,
    qt: number,
    withQuestion: boolean,
  ): Buffer {
    const q = this.q;
    const questionLength = withQuestion ? q.questionEnd - HEADER_LENGTH : 0;
    const ecsLength = q.ecs ? 8 + q.ecsAddressLength : 0;
    const optLength = q.edns ? 11 + ecsLength : 0;
    let size = HEADER_LENGTH + questionLength + (tail === undefined ? 0 : tail.bytes.length) + optLength;
    let limit = 65535;
    if (transport === UDP) {
      limit = CLASSIC_UDP_PAYLOAD;
      if (q.edns) limit = Math.max(CLASSIC_UDP_PAYLOAD, Math.min(q.ednsPayload, this.payloadSize));
    }
    let truncated = false;
    if (size > limit && tail !== undefined) {
      // RFC 2181 §9: set TC, and keep the OPT record (RFC 6891 §7).
      truncated = true;
      size -= tail.bytes.length;
      tail = undefined;
      this.stats.truncated();
    }
    const prefix = transport === TCP ? 2 : 0;
    const out = Buffer.allocUnsafe(prefix + size);
    if (prefix !== 0) {
      out[0] = size >>> 8;
      out[1] = size & 0xff;
    }
    let o = prefix;
    out[o] = msg[0] as number;
    out[o + 1] = msg[1] as number;
    // QR, the request's opcode and RD; AA and TC as decided. RA, Z and AD clear; CD copied.
    out[o + 2] = 0x80 | ((msg[2] as number) & 0x79) | (authoritative ? 0x04 : 0) | (truncated ? 0x02 : 0);
    out[o + 3] = ((msg[3] as number) & 0x10) | (rcode & 0x0f);
    const arcount = (tail === undefined ? 0 : tail.arcount) + (q.edns ? 1 : 0);
    out[o + 4] = 0;
    out[o + 5] = withQuestion ? 1 : 0;
    writeU16(out, o + 6, tail === undefined ? 0 : tail.ancount);
    writeU16(out, o + 8, tail === undefined ? 0 : tail.nscount);
    writeU16(out, o + 10, arcount);
    o += HEADER_LENGTH;
    // Small copies: a loop and TypedArray#set beat Buffer#copy's argument handling.
    for (let i = HEADER_LENGTH; i < q.questionEnd && questionLength > 0; i++) out[o++] = msg[i] as number;
    if (tail !== undefined) {
      out.set(tail.bytes, o);
      o += tail.bytes.length;
    }
    if (q.edns) {
      out[o] = 0; // root owner
      out[o + 1] = 0;
      out[o + 2] = RRType.OPT;
      writeU16(out, o + 3, this.payloadSize);
      out[o + 5] = rcode >>> 4; // extended rcode: BADVERS is 16 → 1
      out[o + 6] = 0; // version
      out[o + 7] = q.ednsDo ? 0x80 : 0; // DO copied (RFC 3225)
      out[o + 8] = 0;
      writeU16(out, o + 9, ecsLength);
      if (ecsLength > 0) {
        const e = o + 11;
        out[e] = 0;
        out[e + 1] = 8; // ECS
        writeU16(out, e + 2, 4 + q.ecsAddressLength);
        writeU16(out, e + 4, q.ecsFamily);
        out[e + 6] = q.ecsSourcePrefix;
        out[e + 7] = scope;
        for (let i = 0; i < q.ecsAddressLength; i++) out[e + 8 + i] = msg[q.ecsAddressOffset + i] as number;
      }
    }
    this.stats.query(transport, qt, rcodeIndex(rcode));
    return out;
  }

  /** A bare SERVFAIL header for a request whose handling failed; nothing when even the header is unreadable. */
  private servfail(msg: Buffer, transport: TransportIndex): Buffer | undefined {
    if (msg.length < HEADER_LENGTH || ((msg[2] as number) & 0x80) !== 0) return undefined;
    const prefix = transport === TCP ? 2 : 0;
    const out = Buffer.alloc(prefix + HEADER_LENGTH);
    if (prefix) out[1] = HEADER_LENGTH;
    out[prefix] = msg[0] as number;
    out[prefix + 1] = msg[1] as number;
    out[prefix + 2] = 0x80 | ((msg[2] as number) & 0x79);
    out[prefix + 3] = RCode.SERVFAIL;
    this.stats.query(transport, QTYPE_NONE, rcodeIndex(RCode.SERVFAIL));
    return out;
  }
}

function writeU16(out: Buffer, offset: number, value: number): void {
  out[offset] = value >>> 8;
  out[offset + 1] = value & 0xff;
}

function slotOf(qtype: number): number {
  switch (qtype) {
    case RRType.A:
      return Slot.A;
    case RRType.AAAA:
      return Slot.AAAA;
    case RRType.TXT:
      return Slot.TXT;
    case RRType.NS:
      return Slot.NS;
    case RRType.SOA:
      return Slot.SOA;
    case RRType.ANY:
      return Slot.ANY;
    default:
      return -1;
  }
}
