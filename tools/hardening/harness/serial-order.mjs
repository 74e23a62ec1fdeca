// SOA serials compare in RFC 1982 serial arithmetic: b is newer than a when it is ahead by
// less than 2^31 (the wrap of a version modulo 2^32 is then still an increase).
export function serialNewer(a, b) {
  const diff = (b - a + 2 ** 32) % 2 ** 32;
  return diff !== 0 && diff < 2 ** 31;
}
