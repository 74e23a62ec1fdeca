import DNS from 'dns2';

/** The parts of a decoded message two independent decoders must agree on. */
export interface MessageSummary {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  /** The full rcode, OPT's extended bits merged. */
  rcode: number;
  questions: { name: string; type: number }[];
  answers: { name: string; type: number; ttl: number }[];
  authorities: { name: string; type: number; ttl: number }[];
  /** Additional records including OPT (type 41). */
  additionals: { name: string; type: number }[];
}

/** Decodes a message into a summary, or says why it cannot. Never throws. */
export interface ReferenceDecoder {
  decode(message: Buffer): { ok: true; summary: MessageSummary } | { ok: false; reason: string };
}

/**
 * dns2 3.1.1 as an independent reference decoder, kept off the hot path (its bit-by-bit
 * reader is slow): the fuzz and conformance tests check that every reply the server writes
 * reads back the same with dns2 as with our own decoder.
 */
export class Dns2ReferenceDecoder implements ReferenceDecoder {
  decode(message: Buffer): { ok: true; summary: MessageSummary } | { ok: false; reason: string } {
    let packet: DNS.Packet;
    try {
      packet = (DNS.Packet as unknown as { parse(b: Buffer): DNS.Packet }).parse(message);
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
    const errors = packet.errors ?? [];
    if (errors.length > 0) return { ok: false, reason: errors.map((e) => e.message).join('; ') };
    const header = packet.header as unknown as { id: number; qr: number; opcode: number; aa: number; tc: number; rcode: number };
    const rr = (r: { name: string; type: number; ttl: number }) => ({ name: r.name.toLowerCase(), type: r.type, ttl: r.ttl });
    return {
      ok: true,
      summary: {
        id: header.id,
        qr: header.qr === 1,
        opcode: header.opcode,
        aa: header.aa === 1,
        tc: header.tc === 1,
        rcode: header.rcode,
        questions: (packet.questions as unknown as { name: string; type: number }[]).map((q) => ({ name: q.name.toLowerCase(), type: q.type })),
        answers: (packet.answers as unknown as { name: string; type: number; ttl: number }[]).map(rr),
        authorities: (packet.authorities as unknown as { name: string; type: number; ttl: number }[]).map(rr),
        additionals: (packet.additionals as unknown as { name: string; type: number }[]).map((r) => ({ name: r.name.toLowerCase(), type: r.type })),
      },
    };
  }
}
