import { formatHeartbeatText, parseHeartbeatText } from './index';

const TIME = Date.UTC(2026, 10, 21, 19, 37, 0, 123);

describe('parseHeartbeatText', () => {
  it.each<[string, string[] | string, { sequence?: number; time?: number; region?: string }]>([
    ['the canonical form', 'region=eu seq=42 time=2026-11-21T19:37:00.123Z', { sequence: 42, time: TIME, region: 'eu' }],
    ['keys in any order and case', 'TIME=2026-11-21T19:37:00.123Z Seq=42', { sequence: 42, time: TIME }],
    ['one key per character-string', ['seq=42', 'time=2026-11-21T19:37:00.123Z', 'region=eu'], { sequence: 42, time: TIME, region: 'eu' }],
    ['colons as separators, commas between', 'sequence:42, ts:1795290000', { sequence: 42, time: 1_795_290_000_000 }],
    ['Unix seconds with a fraction', 'seq=1 t=1795290000.5', { sequence: 1, time: 1_795_290_000_500 }],
    ['Unix milliseconds', 'serial=9;timestamp=1795290000123', { sequence: 9, time: 1_795_290_000_123 }],
    ['Unix microseconds', 'seq=9 time=1795290000123456', { sequence: 9, time: 1_795_290_000_123 }],
    ['bare sequence and time', '42 1795290000', { sequence: 42, time: 1_795_290_000_000 }],
    ['bare sequence and RFC 3339 time', ['42', '2026-11-21T19:37:00.123Z'], { sequence: 42, time: TIME }],
    ['JSON', '{"seq": 42, "time": "2026-11-21T19:37:00.123Z", "region": "EU"}', { sequence: 42, time: TIME, region: 'eu' }],
    ['an offset time', 'seq=42 time=2026-11-21T21:37:00.123+02:00', { sequence: 42, time: TIME }],
    ['unknown keys are ignored', 'v=1 seq=42 extra=yes', { sequence: 42 }],
    ['a sequence only', 'seq=42', { sequence: 42 }],
    ['nothing readable', 'hello world', {}],
    ['a negative sequence is not one', 'seq=-4', {}],
    ['a garbled time is left out', 'seq=4 time=yesterday', { sequence: 4 }],
    ['broken JSON falls back to tokens', '{seq=4', {}],
    ['empty', [], {}],
  ])('%s', (_name, input, expected) => {
    const parsed = parseHeartbeatText(input);
    expect({ sequence: parsed.sequence, time: parsed.time, region: parsed.region }).toEqual({
      sequence: expected.sequence,
      time: expected.time,
      region: expected.region,
    });
  });

  it('keeps the text, so movement can be told without a sequence', () => {
    expect(parseHeartbeatText(['a', 'b']).text).toBe('a b');
  });

  it('reads back what formatHeartbeatText writes', () => {
    const text = formatHeartbeatText({ region: 'us', sequence: 7, time: TIME });
    expect(text).toBe('region=us seq=7 time=2026-11-21T19:37:00.123Z');
    expect(parseHeartbeatText(text)).toEqual({ text, sequence: 7, time: TIME, region: 'us' });
  });
});
