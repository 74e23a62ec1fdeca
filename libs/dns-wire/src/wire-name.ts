/**
 * Allocation-free helpers over names already in wire format, for the per-query path: a
 * case-insensitive FNV-1a hash, and a case-insensitive comparison. Label length bytes are
 * at most 63, below 'A' (65), so folding every byte in 'A'..'Z' is safe.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hash of `length` bytes from `offset`, with ASCII letters folded to lower case. A small integer. */
export function wireNameHash(bytes: Uint8Array, offset: number, length: number): number {
  let hash = FNV_OFFSET;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    let b = bytes[i] as number;
    if (b >= 65 && b <= 90) b |= 0x20;
    hash = Math.imul(hash ^ b, FNV_PRIME);
  }
  // Keep it a V8 small integer so Map lookups stay fast.
  return hash & 0x3fffffff;
}

/** True when `a[aOffset..]` equals `b` (already lower case) for `b.length` bytes, ignoring ASCII case. */
export function wireNameEquals(a: Uint8Array, aOffset: number, b: Uint8Array): boolean {
  const length = b.length;
  if (aOffset + length > a.length) return false;
  for (let i = 0; i < length; i++) {
    let x = a[aOffset + i] as number;
    if (x >= 65 && x <= 90) x |= 0x20;
    if (x !== b[i]) return false;
  }
  return true;
}
