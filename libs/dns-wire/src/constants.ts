/** Resource record types Meridian reads or writes (RFC 1035, 3596, 6891, 8482). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  DS: 43,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  CAA: 257,
} as const;
export type RRTypeName = keyof typeof RRType;

const TYPE_NAMES = new Map<number, string>(Object.entries(RRType).map(([name, code]) => [code, name]));

/** "A", "AAAA"… or the RFC 3597 form "TYPE65" for types without a mnemonic here. */
export function rrTypeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** A type mnemonic ("aaaa", "TYPE65") to its code, or undefined. */
export function rrTypeCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  const known = (RRType as Record<string, number>)[upper];
  if (known !== undefined) return known;
  const generic = /^TYPE([0-9]{1,5})$/.exec(upper);
  return generic && Number(generic[1]) <= 65535 ? Number(generic[1]) : undefined;
}

export const RRClass = { IN: 1, CH: 3, NONE: 254, ANY: 255 } as const;

/** Response codes; BADVERS (16) needs the OPT record's extended rcode (RFC 6891). */
export const RCode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;
export type RCodeName = keyof typeof RCode;

const RCODE_NAMES = new Map<number, string>(Object.entries(RCode).map(([name, code]) => [code, name]));

export function rcodeName(code: number): string {
  return RCODE_NAMES.get(code) ?? `RCODE${code}`;
}

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** Bits of the 16-bit flags word (bytes 2–3 of the header). */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

export const EdnsOption = { NSID: 3, ECS: 8, COOKIE: 10, PADDING: 12 } as const;

/** The DO bit in the OPT record's TTL field (RFC 3225). */
export const EDNS_DO = 0x8000;

export const HEADER_LENGTH = 12;
/** Largest UDP reply to a client without EDNS (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_PAYLOAD = 512;
export const MAX_NAME_LENGTH = 255;
export const MAX_LABEL_LENGTH = 63;
