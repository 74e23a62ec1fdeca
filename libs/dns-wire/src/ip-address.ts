import { addressFromBytes, formatAddress, parseAddress } from '@meridian/strategies';
import { WireFormatError } from './wire-format-error';

/** An IPv4 or IPv6 address in text form to its 4 or 16 network-order bytes. */
export function addressToBytes(text: string, family: 4 | 6): Buffer {
  const parsed = parseAddress(text);
  // parseAddress turns ::ffff:a.b.c.d into IPv4; an AAAA record keeps the mapped form.
  if (!parsed || (family === 4 && parsed.family !== 4) || (family === 6 && parsed.family !== 6 && !text.includes(':'))) {
    throw new WireFormatError(`"${text}" is not an IPv${family} address`);
  }
  if (family === 4) {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(parsed.words[0] as number, 0);
    return out;
  }
  const out = Buffer.alloc(16);
  if (parsed.family === 4) {
    out.writeUInt16BE(0xffff, 10);
    out.writeUInt32BE(parsed.words[0] as number, 12);
    return out;
  }
  for (let i = 0; i < 4; i++) out.writeUInt32BE(parsed.words[i] as number, i * 4);
  return out;
}

/** Network-order bytes (possibly fewer than the full length, as ECS sends them) to text. */
export function bytesToAddress(bytes: Uint8Array, family: 4 | 6): string {
  const full = new Uint8Array(family === 4 ? 4 : 16);
  full.set(bytes.subarray(0, full.length));
  if (family === 6 && full.subarray(0, 10).every((b) => b === 0) && full[10] === 0xff && full[11] === 0xff) {
    return `::ffff:${full[12]}.${full[13]}.${full[14]}.${full[15]}`;
  }
  const parsed = addressFromBytes(family, full);
  if (!parsed) throw new WireFormatError(`cannot read an IPv${family} address from ${bytes.length} bytes`);
  return formatAddress(parsed);
}
