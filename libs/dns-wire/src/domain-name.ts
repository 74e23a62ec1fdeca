import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './constants';
import { WireFormatError } from './wire-format-error';

/** "Gslb.Example.COM." → "gslb.example.com"; the root is "". */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.toLowerCase();
}

/** The labels of a presentation-format name, without the root. */
export function nameLabels(name: string): string[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed === '' ? [] : trimmed.split('.');
}

/**
 * Encodes a presentation-format name ("www.example.com", trailing dot optional) into wire
 * format, uncompressed. Throws WireFormatError for empty or over-long labels and names.
 */
export function encodeName(name: string): Buffer {
  const labels = nameLabels(name);
  const parts: Buffer[] = [];
  let length = 1;
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0) throw new WireFormatError(`name "${name}" has an empty label`);
    if (bytes.length > MAX_LABEL_LENGTH) throw new WireFormatError(`label "${label}" is longer than ${MAX_LABEL_LENGTH} bytes`);
    parts.push(Buffer.from([bytes.length]), bytes);
    length += 1 + bytes.length;
  }
  if (length > MAX_NAME_LENGTH) throw new WireFormatError(`name "${name}" is longer than ${MAX_NAME_LENGTH} bytes in wire format`);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts, length);
}

/** True when `child` equals `parent` or lies below it (both normalized). */
export function isSubdomain(child: string, parent: string): boolean {
  if (parent === '') return true;
  return child === parent || child.endsWith(`.${parent}`);
}

export interface DecodedName {
  /** Presentation format, lower case kept as sent, without the trailing dot ("" is the root). */
  name: string;
  /** Offset just after the name where it was read (after the first pointer, if any). */
  next: number;
}

/**
 * Reads a possibly compressed name (RFC 1035 §4.1.4). Pointers must point backwards, so a
 * compression loop cannot run forever; reserved label types, over-long names and reads
 * past the end throw WireFormatError.
 */
export function decodeName(message: Uint8Array, offset: number): DecodedName {
  const labels: string[] = [];
  let position = offset;
  let next = -1;
  let length = 1;
  let lowestPointerTarget = offset;
  for (;;) {
    if (position >= message.length) throw new WireFormatError('name runs past the end of the message', position);
    const len = message[position] as number;
    if (len === 0) {
      position += 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (position + 1 >= message.length) throw new WireFormatError('compression pointer runs past the end', position);
      const target = ((len & 0x3f) << 8) | (message[position + 1] as number);
      if (next < 0) next = position + 2;
      // Each pointer must go strictly backwards from the last one: no loops.
      if (target >= lowestPointerTarget) throw new WireFormatError('compression pointer does not point backwards', position);
      lowestPointerTarget = target;
      position = target;
      continue;
    }
    if (kind !== 0) throw new WireFormatError(`reserved label type 0x${kind.toString(16)}`, position);
    if (position + 1 + len > message.length) throw new WireFormatError('label runs past the end of the message', position);
    length += len + 1;
    if (length > MAX_NAME_LENGTH) throw new WireFormatError(`name is longer than ${MAX_NAME_LENGTH} bytes`, position);
    labels.push(Buffer.from(message.buffer, message.byteOffset + position + 1, len).toString('latin1'));
    position += len + 1;
  }
  return { name: labels.join('.'), next: next < 0 ? position : next };
}
