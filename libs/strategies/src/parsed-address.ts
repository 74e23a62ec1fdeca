import type { AddressFamily } from './target';

/**
 * A client address in a compact form for per-query lookups: four 32-bit words, most
 * significant first (IPv4 uses word 0 only). `bits` is how many leading bits are known:
 * 32 or 128 for a full address, the source prefix length for an ECS option.
 * Parse once per query into a reused object: no allocation on the hot path.
 */
export interface ParsedAddress {
  family: AddressFamily;
  bits: number;
  readonly words: Uint32Array;
}

export function createParsedAddress(): ParsedAddress {
  return { family: 4, bits: 0, words: new Uint32Array(4) };
}

/** Bit `index` (0 = most significant) of the address. */
export function addressBit(address: ParsedAddress, index: number): number {
  return ((address.words[index >>> 5] as number) >>> (31 - (index & 31))) & 1;
}

/**
 * Parses a textual IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is ignored).
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what dual-stack sockets report) becomes IPv4.
 * Returns undefined for anything else; `out` is then left in an unspecified state.
 */
export function parseAddress(text: string, out: ParsedAddress = createParsedAddress()): ParsedAddress | undefined {
  out.words.fill(0);
  if (text.indexOf(':') < 0) {
    const v4 = parseIPv4(text, 0, text.length);
    if (v4 < 0) return undefined;
    out.family = 4;
    out.bits = 32;
    out.words[0] = v4;
    return out;
  }
  const zone = text.indexOf('%');
  if (!parseIPv6(text, zone < 0 ? text.length : zone, out.words)) return undefined;
  out.family = 6;
  out.bits = 128;
  return unmapIPv4(out);
}

/**
 * Reads an address from network-order bytes, as carried in an EDNS Client Subnet option
 * (RFC 7871: only the first ceil(prefix/8) bytes are sent; the rest are zero).
 * `prefixLength` defaults to the full address length.
 */
export function addressFromBytes(
  family: AddressFamily,
  bytes: Uint8Array,
  prefixLength: number = family === 4 ? 32 : 128,
  out: ParsedAddress = createParsedAddress(),
): ParsedAddress | undefined {
  const maxBits = family === 4 ? 32 : 128;
  if (bytes.length * 8 > maxBits || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > maxBits) {
    return undefined;
  }
  out.words.fill(0);
  for (let i = 0; i < bytes.length; i++) {
    const word = i >>> 2;
    out.words[word] = ((out.words[word] as number) | ((bytes[i] as number) << (24 - 8 * (i & 3)))) >>> 0;
  }
  out.family = family;
  out.bits = prefixLength;
  return unmapIPv4(out);
}

/** Formats a parsed address back to text (IPv6 in RFC 5952 canonical form). For logs and tests. */
export function formatAddress(address: ParsedAddress): string {
  const w = address.words;
  if (address.family === 4) {
    const v = w[0] as number;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(getGroup(w, i));
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** A dotted quad between `start` and `end` as an unsigned 32-bit number, or -1. */
function parseIPv4(text: string, start: number, end: number): number {
  let value = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    let octet = 0;
    let digits = 0;
    while (i < end) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      // No leading zeros: "010" would be octal for some parsers, so it is ambiguous.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0 || octet > 255) return -1;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * RFC 4291 text (with `::` and an optional trailing dotted quad) into `words`, without
 * allocating: groups are written in order, then the ones after `::` move to the end.
 */
function parseIPv6(text: string, end: number, words: Uint32Array): boolean {
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58 /* : */) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    let j = i;
    while (j < end && digits <= 4) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      j++;
    }
    if (text.charCodeAt(j) === 46 /* . */) {
      const v4 = count <= 6 ? parseIPv4(text, i, end) : -1;
      if (v4 < 0) return false;
      setGroup(words, count++, v4 >>> 16);
      setGroup(words, count++, v4 & 0xffff);
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    setGroup(words, count++, value);
    if (j === end) break;
    if (text.charCodeAt(j) !== 58) return false;
    j++;
    if (text.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = count;
      j++;
    } else if (j === end) {
      return false; // a single trailing colon
    }
    i = j;
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  const shift = 8 - count;
  for (let g = count - 1; g >= gap; g--) {
    setGroup(words, g + shift, getGroup(words, g));
    setGroup(words, g, 0);
  }
  return true;
}

function getGroup(words: Uint32Array, index: number): number {
  return ((words[index >>> 1] as number) >>> (index & 1 ? 0 : 16)) & 0xffff;
}

function setGroup(words: Uint32Array, index: number, value: number): void {
  const word = index >>> 1;
  const current = words[word] as number;
  words[word] = (index & 1 ? (current & 0xffff0000) | value : (current & 0xffff) | (value << 16)) >>> 0;
}

/** ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket. */
function unmapIPv4(out: ParsedAddress): ParsedAddress {
  const w = out.words;
  if (out.family === 6 && w[0] === 0 && w[1] === 0 && w[2] === 0xffff && out.bits >= 96) {
    out.family = 4;
    out.bits -= 96;
    w[0] = w[3] as number;
    w[1] = 0;
    w[2] = 0;
    w[3] = 0;
  }
  return out;
}
