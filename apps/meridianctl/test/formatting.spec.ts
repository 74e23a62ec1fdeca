import { AnswerPlan, StrategyType, VerdictState, ZoneChange } from '@meridian/proto';
import { formatExplain, formatVerdict } from '../src/format-explain';
import { formatHosts } from '../src/format-hosts';
import { verdictEventLines, zoneChange } from '../src/format-watch';
import { ago } from '../src/format-status';
import { strategyLabel } from '../src/labels';
import { renderTable } from '../src/table';
import { hostAnswers, selectorLabel } from '../src/zone-hosts';
import { failoverExplain, verdict, verdictsSnapshotMessage, zoneSnapshotMessage } from './fixtures';

describe('renderTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(renderTable(['A', 'LONG HEADER'], [['value', 'x'], ['v', 'y']])).toBe('A      LONG HEADER\nvalue  x\nv      y');
  });
});

describe('labels', () => {
  it.each([
    [StrategyType.STRATEGY_TYPE_ROUND_ROBIN, 'roundRobin'],
    [StrategyType.STRATEGY_TYPE_FAILOVER, 'failover'],
    [StrategyType.STRATEGY_TYPE_GEOIP, 'geoip'],
  ])('strategy %s is %s (k8gb spelling)', (type, label) => {
    expect(strategyLabel(type)).toBe(label);
  });
});

describe('formatVerdict', () => {
  it.each([
    [verdict('eu', VerdictState.VERDICT_STATE_ALIVE), 'alive (3/3 reachable, quorum 2)'],
    [verdict('us', VerdictState.VERDICT_STATE_DOWN), 'down (0/3 reachable, quorum 2)'],
    [{ ...verdict('us', VerdictState.VERDICT_STATE_UNKNOWN), lastDecided: VerdictState.VERDICT_STATE_ALIVE, reachable: 1 }, 'unknown (1/3 reachable, quorum 2, holds alive)'],
    [undefined, 'none'],
  ])('%#: %s', (input, expected) => {
    expect(formatVerdict(input)).toBe(expected);
  });
});

describe('formatExplain', () => {
  const text = formatExplain(failoverExplain);
  it.each([
    ['the strategy', /strategy\s+failover; primary eu; when all unhealthy: failOpen/],
    ['the answer', /answer\s+127\.0\.0\.21\n/],
    ['each verdict and use', /eu\s+yes\s+alive \(3\/3 reachable, quorum 2\)\s+no\s+primary, but no healthy target/],
    ['the health reason', /eu\s+127\.0\.0\.11\s+unhealthy\s+http fail x3\s+HTTP 503 from \/healthz/],
    ['the summary', /summary: eu is primary but unhealthy; failing over to us$/],
    ['ttl, ECS scope and fail-open', /ttl\s+30s\necs scope\s+\/0\nfail-open\s+no/],
  ])('names %s', (_what, pattern) => {
    expect(text).toMatch(pattern);
  });
});

describe('hosts', () => {
  it('lists GSLB hosts of the snapshot with variant 0 and the selector, skipping static names', () => {
    const rows = hostAnswers('eu', zoneSnapshotMessage);
    expect(rows.map((r) => [r.host, r.family, r.strategy, r.selector, r.answer.join(',')])).toEqual([
      ['failover.gslb.example.com', 'A', 'failover', 'single', '127.0.0.21'],
      ['roundrobin.gslb.example.com', 'A', 'roundRobin', 'rotate', '127.0.0.11,127.0.0.21'],
    ]);
    expect(formatHosts(rows)).toContain('rotate (2 variants)');
  });

  it.each([
    [{ $case: 'weighted', weighted: { weights: [0.8, 0.2] } }, 'weighted 0.8/0.2'],
    [{ $case: 'geo', geo: { variantByRegion: { eu: 0, us: 1 }, defaultVariant: 0 } }, 'geo eu→0 us→1 default→0'],
    [undefined, 'none'],
  ])('selector %#: %s', (selector, expected) => {
    expect(selectorLabel(AnswerPlan.fromPartial({ selector: selector as AnswerPlan['selector'] }))).toBe(expected);
  });
});

describe('watch lines', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  it('gives one line per verdict', () => {
    expect(verdictEventLines('eu', verdictsSnapshotMessage, at)).toEqual([
      '2026-01-01T00:00:00.000Z eu witness v7 verdict eu alive (3/3 reachable, quorum 2)',
      '2026-01-01T00:00:00.000Z eu witness v7 verdict us down (0/3 reachable, quorum 2)',
    ]);
  });
  it.each([
    [{ origin: 'z', change: { $case: 'removedName', removedName: 'old.z' } }, 'removed old.z'],
    [{ origin: 'z', change: { $case: 'zoneRemoved', zoneRemoved: true } }, 'zone z removed'],
  ])('zone change %#', (change, expected) => {
    expect(zoneChange(ZoneChange.fromPartial(change as ZoneChange))).toBe(expected);
  });
});

describe('ago', () => {
  const now = new Date('2026-01-01T01:00:00Z');
  it.each([
    [undefined, '-'],
    [new Date('2026-01-01T00:59:50Z'), '10s ago'],
    [new Date('2026-01-01T00:50:00Z'), '10m ago'],
  ])('%s → %s', (at, expected) => {
    expect(ago(at, now)).toBe(expected);
  });
});
