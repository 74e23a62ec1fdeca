/**
 * Request bodies that are not a valid protobuf message, each of a different failure the
 * decoder must catch (checked against the generated decoders: every one of them throws).
 */
export const MALFORMED_PROTOBUF: readonly (readonly [name: string, bytes: Buffer])[] = [
  ['wire type 7 (does not exist)', Buffer.from([0x0f])],
  ['a length-delimited field longer than the message', Buffer.from([0x0a, 0x10, 0x01])],
  ['a varint of 11 bytes (at most 10 exist)', Buffer.alloc(11, 0xff)],
];

/** A well-formed message (one unknown bytes field, number 15) of `bytes` bytes in all (at least 6, below 256 MiB). */
export function oversizedMessage(bytes: number): Buffer {
  // Tag 0x7a (field 15, length-delimited), then the length as a 4-byte varint.
  const payload = bytes - 5;
  const header = Buffer.from([0x7a, 0x80 | (payload & 0x7f), 0x80 | ((payload >>> 7) & 0x7f), 0x80 | ((payload >>> 14) & 0x7f), (payload >>> 21) & 0x7f]);
  return Buffer.concat([header, Buffer.alloc(payload, 0x61)]);
}
