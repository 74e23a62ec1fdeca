import { judgeFreshness, parseHeartbeatText, type FreshnessPolicy, type HeartbeatMemory } from './index';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const policy: FreshnessPolicy = { maxAgeMs: 10_000, maxClockSkewMs: 5_000 };

const hb = (text: string) => parseHeartbeatText(text);
const iso = (ms: number) => new Date(ms).toISOString();
const memory = (text: string, movedAgoMs: number | undefined): HeartbeatMemory => {
  const parsed = hb(text);
  return { text: parsed.text, sequence: parsed.sequence, movedAt: movedAgoMs === undefined ? undefined : NOW - movedAgoMs };
};

describe('judgeFreshness', () => {
  it.each<[string, HeartbeatMemory | undefined, string, 'FRESH' | 'STALE', string]>([
    ['first sighting, recent time', undefined, `seq=5 time=${iso(NOW - 800)}`, 'FRESH', 'sequence 5 written 0.8 s ago'],
    ['first sighting, old time', undefined, `seq=5 time=${iso(NOW - 60_000)}`, 'STALE', 'sequence 5 was written 60.0 s ago and has not moved (limit 10.0 s)'],
    ['first sighting, no time', undefined, 'seq=5', 'FRESH', 'sequence 5 seen for the first time (no time in it; freshness is judged by movement from now on)'],
    ['the sequence moved', memory('seq=4', 1_000), 'seq=5', 'FRESH', 'sequence moved 4 → 5'],
    ['the sequence moved even though the time is old (clock behind)', memory(`seq=4 time=${iso(NOW - 61_000)}`, 1_000), `seq=5 time=${iso(NOW - 60_000)}`, 'FRESH', 'sequence moved 4 → 5'],
    ['a publisher restart (sequence back to 1) is movement', memory('seq=900', 1_000), 'seq=1', 'FRESH', 'sequence moved 900 → 1'],
    ['not moved, but recently (a cached answer)', memory('seq=5', 2_000), 'seq=5', 'FRESH', 'sequence 5 last moved 2.0 s ago'],
    ['not moved for longer than maxAge', memory('seq=5', 12_000), 'seq=5', 'STALE', 'sequence 5 has not moved for 12.0 s (limit 10.0 s)'],
    ['not moved, its own time still recent', memory(`seq=5 time=${iso(NOW - 3_000)}`, 12_000), `seq=5 time=${iso(NOW - 3_000)}`, 'FRESH', 'sequence 5 written 3.0 s ago'],
    ['dated slightly ahead (within the skew)', undefined, `seq=5 time=${iso(NOW + 4_000)}`, 'FRESH', 'sequence 5 dated 4.0 s ahead of our clock (within the allowed skew)'],
    ['dated far ahead and never moved', undefined, `seq=5 time=${iso(NOW + 60_000)}`, 'STALE', 'sequence 5 is dated 60.0 s ahead of our clock and has not moved: check the clocks'],
    ['no sequence: a changed text is movement', memory('beat a', 5_000), 'beat b', 'FRESH', 'the heartbeat text changed'],
    ['no sequence: the same text for too long', memory('beat a', 11_000), 'beat a', 'STALE', 'the heartbeat has not moved for 11.0 s (limit 10.0 s)'],
    ['never fresh and still not moving', memory(`seq=5 time=${iso(NOW - 60_000)}`, undefined), `seq=5 time=${iso(NOW - 60_000)}`, 'STALE', 'sequence 5 was written 60.0 s ago and has not moved (limit 10.0 s)'],
  ])('%s', (_name, before, text, result, reason) => {
    const judgement = judgeFreshness(before, hb(text), NOW, policy);
    expect(judgement.result).toBe(result);
    expect(judgement.reason).toBe(reason);
  });

  it('remembers when the heartbeat last moved', () => {
    const first = judgeFreshness(undefined, hb('seq=1'), NOW, policy);
    const same = judgeFreshness(first.memory, hb('seq=1'), NOW + 4_000, policy);
    expect(same.memory.movedAt).toBe(NOW);
    const moved = judgeFreshness(same.memory, hb('seq=2'), NOW + 5_000, policy);
    expect(moved.memory.movedAt).toBe(NOW + 5_000);
  });

  it('a frozen publisher goes stale maxAge after its last move', () => {
    let mem: HeartbeatMemory | undefined;
    const results: string[] = [];
    for (let s = 0; s <= 14; s += 2) {
      const judgement = judgeFreshness(mem, hb('seq=77'), NOW + s * 1_000, policy);
      mem = judgement.memory;
      results.push(judgement.result[0] as string);
    }
    expect(results.join('')).toBe('FFFFFFSS');
  });
});
