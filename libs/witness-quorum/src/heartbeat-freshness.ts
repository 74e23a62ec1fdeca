import type { HeartbeatText } from './heartbeat-text';

/** What an observer remembers of one region's heartbeat between observations. */
export interface HeartbeatMemory {
  readonly text: string;
  readonly sequence: number | undefined;
  /** When (our clock) the heartbeat was last seen moving; undefined if never seen fresh. */
  readonly movedAt: number | undefined;
}

export interface FreshnessPolicy {
  /** A heartbeat is fresh when written, or seen moving, at most this long ago. */
  readonly maxAgeMs: number;
  /** How far ahead of our clock a heartbeat's time may be and still count as recent. */
  readonly maxClockSkewMs: number;
}

export interface FreshnessJudgement {
  readonly result: 'FRESH' | 'STALE';
  readonly reason: string;
  readonly memory: HeartbeatMemory;
}

/**
 * Fresh or stale. A heartbeat is fresh when its sequence (or, without one, its text) moved
 * since the last observation, or moved at most `maxAgeMs` ago, or its own time is at most
 * `maxAgeMs` old. Movement is judged by our clock, so a region whose clock is off is still
 * seen fresh once its sequence moves; the time alone decides only the first sighting.
 */
export function judgeFreshness(
  memory: HeartbeatMemory | undefined,
  heartbeat: HeartbeatText,
  nowMs: number,
  policy: FreshnessPolicy,
): FreshnessJudgement {
  const moved =
    memory !== undefined &&
    (heartbeat.sequence !== undefined && memory.sequence !== undefined ? heartbeat.sequence !== memory.sequence : heartbeat.text !== memory.text);
  const age = heartbeat.time === undefined ? undefined : nowMs - heartbeat.time;
  const timeFresh = age !== undefined && age <= policy.maxAgeMs && age >= -policy.maxClockSkewMs;
  const seq = heartbeat.sequence === undefined ? 'the heartbeat' : `sequence ${heartbeat.sequence}`;

  let result: 'FRESH' | 'STALE';
  let reason: string;
  let movedAt = memory?.movedAt;
  if (moved) {
    result = 'FRESH';
    movedAt = nowMs;
    reason =
      heartbeat.sequence !== undefined && memory?.sequence !== undefined
        ? `sequence moved ${memory.sequence} → ${heartbeat.sequence}`
        : 'the heartbeat text changed';
  } else if (timeFresh) {
    result = 'FRESH';
    if (memory === undefined) movedAt = nowMs;
    reason = age >= 0 ? `${seq} written ${seconds(age)} ago` : `${seq} dated ${seconds(-age)} ahead of our clock (within the allowed skew)`;
  } else if (memory === undefined && age === undefined) {
    // Nothing to compare with and no time: an answer from the region's own servers is all we have.
    result = 'FRESH';
    movedAt = nowMs;
    reason = `${seq} seen for the first time (no time in it; freshness is judged by movement from now on)`;
  } else if (movedAt !== undefined && nowMs - movedAt <= policy.maxAgeMs) {
    result = 'FRESH';
    reason = `${seq} last moved ${seconds(nowMs - movedAt)} ago`;
  } else {
    result = 'STALE';
    if (age !== undefined && age < -policy.maxClockSkewMs) {
      reason = `${seq} is dated ${seconds(-age)} ahead of our clock and has not moved: check the clocks`;
    } else if (movedAt !== undefined) {
      reason = `${seq} has not moved for ${seconds(nowMs - movedAt)} (limit ${seconds(policy.maxAgeMs)})`;
    } else if (age !== undefined) {
      reason = `${seq} was written ${seconds(age)} ago and has not moved (limit ${seconds(policy.maxAgeMs)})`;
    } else {
      reason = `${seq} has not moved since it was first seen`;
    }
  }
  return { result, reason, memory: { text: heartbeat.text, sequence: heartbeat.sequence, movedAt } };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
