import { createMetricsRegistry, lintMetricNames } from '@meridian/metrics';
import { VerdictState, type VerdictsDelta, type VerdictsSnapshot } from '@meridian/proto';
import type { StreamEvent } from '@meridian/streams';
import { VerdictBoard, WitnessMetrics } from '../src/index';
import { CaptureLogger } from './capture-logger';
import { obs, policy, T0 } from './fixtures';

function board() {
  const registry = createMetricsRegistry({ runtimeMetrics: false });
  const metrics = new WitnessMetrics(registry);
  metrics.init(['eu', 'us'], ['r1', 'r2', 'r3']);
  const logger = new CaptureLogger();
  return { registry, logger, board: new VerdictBoard({ regions: ['eu', 'us'], policy, logger, metrics, nowMs: T0 }) };
}

function events(b: VerdictBoard, from: number): StreamEvent<VerdictsSnapshot, VerdictsDelta>[] {
  const out: StreamEvent<VerdictsSnapshot, VerdictsDelta>[] = [];
  let cursor = from;
  for (let e = b.stream.next(cursor); e && e.kind === 'delta'; e = b.stream.next(cursor)) {
    out.push(e);
    cursor = e.version;
  }
  return out;
}

describe('VerdictBoard', () => {
  it('starts every judged region UNKNOWN in the snapshot', () => {
    const { board: b } = board();
    const first = b.stream.next(undefined);
    expect(first?.kind).toBe('snapshot');
    const verdicts = first?.kind === 'snapshot' ? first.snapshot.verdicts : [];
    expect(verdicts.map((v) => [v.region, v.state, v.lastDecided])).toEqual([
      ['eu', VerdictState.VERDICT_STATE_UNKNOWN, VerdictState.VERDICT_STATE_UNKNOWN],
      ['us', VerdictState.VERDICT_STATE_UNKNOWN, VerdictState.VERDICT_STATE_UNKNOWN],
    ]);
  });

  it('publishes one delta per round with the verdicts that changed materially, and nothing when only heartbeats move', () => {
    const { board: b } = board();
    const round = (at: number, eu: string) => b.apply(['r1', 'r2', 'r3'].flatMap((r, i) => [obs(r, 'eu', eu[i] === 'F' ? 'FRESH' : 'FAILED', at), obs(r, 'us', 'FRESH', at)]), at);
    round(T0 + 1_000, 'FFF');
    expect(events(b, 0).map((e) => (e.kind === 'delta' ? e.delta.changed.map((v) => v.region) : []))).toEqual([['eu', 'us']]);
    round(T0 + 2_000, 'FFF');
    expect(b.stream.version).toBe(1);
    round(T0 + 3_000, 'FFX');
    expect(b.stream.version).toBe(2);
    const last = events(b, 1)[0];
    expect(last?.kind === 'delta' && last.delta.changed.map((v) => [v.region, v.reachable, v.unreachable])).toEqual([['eu', 2, 1]]);
  });

  it('logs every change of state with its evidence, and a pending change when the quorum first asks for it', () => {
    const { board: b, logger } = board();
    const round = (at: number, result: 'FRESH' | 'FAILED') => b.apply(['r1', 'r2', 'r3'].map((r) => obs(r, 'eu', result, at)), at);
    round(T0 + 1_000, 'FRESH');
    round(T0 + 2_000, 'FAILED');
    round(T0 + 3_000, 'FAILED');
    const changes = round(T0 + 4_000, 'FAILED');
    expect(changes.map((c) => [c.region, c.from.state, c.to.state])).toEqual([['eu', 'ALIVE', 'DOWN']]);
    const euLogs = logger.records.filter((r) => r.fields['region'] === 'eu').map((r) => [r.level, r.msg, r.fields['from'] ?? r.fields['towards'], r.fields['to']]);
    expect(euLogs).toEqual([
      ['info', 'verdict changed', 'UNKNOWN', 'ALIVE'],
      ['info', 'verdict change pending', 'DOWN', undefined],
      ['warn', 'verdict changed', 'ALIVE', 'DOWN'],
    ]);
    const down = logger.records.find((r) => r.fields['to'] === 'DOWN');
    expect(down?.fields['evidence']).toEqual([
      expect.objectContaining({ observer: 'r1', result: 'FAILED', counted: true, reason: 'r1 says FAILED' }),
      expect.objectContaining({ observer: 'r2' }),
      expect.objectContaining({ observer: 'r3' }),
    ]);
  });

  it('keeps the split-brain metrics: quorum reached, promotions, verdict state, with names that pass the lint', async () => {
    const { board: b, registry } = board();
    const round = (at: number, eu: 'FRESH' | 'FAILED', answered = true) => b.apply(['r1', 'r2', 'r3'].map((r) => obs(r, 'eu', eu, at, answered)), at);
    round(T0 + 1_000, 'FAILED');
    round(T0 + 2_000, 'FAILED', false);
    const text = await registry.metrics();
    expect(text).toContain('splitbrain_promotions_total{region="eu"} 1');
    expect(text).toContain('splitbrain_promotions_total{region="us"} 0');
    expect(text).toContain('splitbrain_quorum_reached{region="eu"} 0');
    expect(text).toContain('meridian_witness_verdict_state{region="eu",state="UNKNOWN"} 1');
    expect(text).toContain('meridian_witness_verdict_state{region="eu",state="DOWN"} 0');
    expect(text).toContain('meridian_witness_verdict_changes_total{region="eu",state="UNKNOWN"} 1');
    expect(lintMetricNames(registry, 'witness')).toEqual([]);
  });
});
