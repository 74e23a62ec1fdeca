import { formatHeartbeatText, parseHeartbeatText } from '@meridian/witness-quorum';

/**
 * A region's witness heartbeat, in the format the witness library owns:
 * `region=<geotag> seq=<n> time=<RFC 3339>`. `seq` is the zone version that published it, so
 * it only grows, also across restarts of records; an observer that sees neither `seq` nor
 * `time` move calls the heartbeat STALE.
 */
export interface WitnessHeartbeat {
  readonly sequence: number;
  readonly timeMs: number;
  readonly region: string;
}

export function formatWitnessHeartbeat(heartbeat: WitnessHeartbeat): string {
  return formatHeartbeatText({ region: heartbeat.region, sequence: heartbeat.sequence, time: heartbeat.timeMs });
}

/** Reads a heartbeat back; undefined unless it carries a region, a sequence and a time. */
export function parseWitnessHeartbeat(text: string): WitnessHeartbeat | undefined {
  const { region, sequence, time } = parseHeartbeatText(text);
  if (region === undefined || sequence === undefined || time === undefined) return undefined;
  return { sequence, timeMs: time, region };
}
