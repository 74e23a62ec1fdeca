/** A snapshot or delta that cannot be applied; the subscriber resynchronizes from a snapshot. */
export class ZoneUpdateError extends Error {
  override readonly name = 'ZoneUpdateError';
}
