import { judgeFreshness, parseHeartbeatText, type FreshnessPolicy, type HeartbeatMemory, type HeartbeatText } from '@meridian/witness-quorum';

export interface HeartbeatReading {
  readonly result: 'FRESH' | 'STALE' | 'FAILED';
  readonly reason: string;
  readonly sequence: number;
}

/**
 * Reads the heartbeats one observer gets, remembering each region's last one so that
 * movement can be judged. One reader per observer: what a resolver's cache shows says
 * nothing about what another resolver shows.
 */
export class HeartbeatReader {
  private readonly memory = new Map<string, HeartbeatMemory>();

  constructor(private readonly policy: FreshnessPolicy) {}

  read(region: string, records: readonly (readonly string[])[], nowMs: number): HeartbeatReading {
    const heartbeat = newest(records.map((strings) => parseHeartbeatText(strings)));
    if (heartbeat.region !== undefined && heartbeat.region !== region) {
      return { result: 'FAILED', reason: `the heartbeat names region "${heartbeat.region}", not "${region}": check the delegation`, sequence: 0 };
    }
    const judgement = judgeFreshness(this.memory.get(region), heartbeat, nowMs, this.policy);
    this.memory.set(region, judgement.memory);
    return { result: judgement.result, reason: judgement.reason, sequence: heartbeat.sequence ?? 0 };
  }
}

/** With several TXT records at the name, the one with the highest sequence (or latest time) counts. */
function newest(heartbeats: readonly HeartbeatText[]): HeartbeatText {
  let best: HeartbeatText = heartbeats[0] ?? parseHeartbeatText([]);
  for (const h of heartbeats) {
    const [seq, bestSeq] = [h.sequence ?? -1, best.sequence ?? -1];
    if (seq > bestSeq || (seq === bestSeq && (h.time ?? -1) > (best.time ?? -1))) best = h;
  }
  return best;
}
