/**
 * The text of a region's witness heartbeat TXT record: `region=<geotag> seq=<n> time=<RFC 3339>`
 * (the order the witness ADR proposes).
 * `seq` is the zone version that published it, so it only grows, also across restarts of
 * records; an observer that sees neither `seq` nor `time` move calls the heartbeat STALE.
 */
export interface WitnessHeartbeat {
  readonly sequence: number;
  readonly timeMs: number;
  readonly region: string;
}

export function formatWitnessHeartbeat(heartbeat: WitnessHeartbeat): string {
  return `region=${heartbeat.region} seq=${heartbeat.sequence} time=${new Date(heartbeat.timeMs).toISOString()}`;
}

/** Reads a heartbeat back; undefined when the text is not one. */
export function parseWitnessHeartbeat(text: string): WitnessHeartbeat | undefined {
  const m = /^region=([a-z0-9-]+) seq=(\d+) time=(\S+)$/.exec(text.trim());
  if (!m) return undefined;
  const timeMs = Date.parse(m[3] as string);
  if (!Number.isFinite(timeMs)) return undefined;
  return { sequence: Number(m[2]), timeMs, region: m[1] as string };
}
