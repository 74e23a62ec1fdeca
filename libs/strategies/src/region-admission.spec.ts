import { admitRegion, type RegionVerdict, type StalenessLimits } from './index';
import { NOW, region } from '../test/support/fixtures';

const limits: StalenessLimits = { freshForMs: 3_000, staleLimitMs: 300_000, aliveHoldLimitMs: 900_000 };

describe('admitRegion: the split-brain rules', () => {
  it.each<[string, { local?: boolean; ageMs: number; verdict: RegionVerdict; previouslyUsable?: boolean }, boolean, string]>([
    ['local data is always fresh', { local: true, ageMs: 10_000_000, verdict: 'DOWN' }, true, 'local'],
    ['fresh remote data: its own report', { ageMs: 3_000, verdict: 'UNKNOWN' }, true, 'fresh'],
    ['fresh remote data beats a DOWN verdict', { ageMs: 0, verdict: 'DOWN' }, true, 'fresh'],
    ['data from the future (clock skew) counts as fresh', { ageMs: -500, verdict: 'ALIVE' }, true, 'fresh'],
    ['silent and DOWN: dropped at once', { ageMs: 3_001, verdict: 'DOWN' }, false, 'dropped-down'],
    ['silent and ALIVE: held', { ageMs: 3_001, verdict: 'ALIVE' }, true, 'held-alive'],
    ['silent and ALIVE up to the hold limit', { ageMs: 900_000, verdict: 'ALIVE' }, true, 'held-alive'],
    ['silent and ALIVE beyond the hold limit', { ageMs: 900_001, verdict: 'ALIVE' }, false, 'dropped-alive-expired'],
    ['silent and ALIVE even if it was dropped before', { ageMs: 5_000, verdict: 'ALIVE', previouslyUsable: false }, true, 'held-alive'],
    ['silent and UNKNOWN: held', { ageMs: 3_001, verdict: 'UNKNOWN' }, true, 'held-unknown'],
    ['silent and UNKNOWN up to the stale limit', { ageMs: 300_000, verdict: 'UNKNOWN', previouslyUsable: true }, true, 'held-unknown'],
    ['silent and UNKNOWN beyond the stale limit', { ageMs: 300_001, verdict: 'UNKNOWN' }, false, 'dropped-unknown-expired'],
    ['silent and UNKNOWN after being dropped: stays dropped', { ageMs: 4_000, verdict: 'UNKNOWN', previouslyUsable: false }, false, 'dropped-unknown-hysteresis'],
  ])('%s', (_name, { local = false, ageMs, verdict, previouslyUsable }, usable, rule) => {
    const admission = admitRegion({ ...region('us', { ageMs, verdict }), local }, { nowMs: NOW, limits, previouslyUsable });
    expect(admission).toMatchObject({ usable, rule });
    expect(admission.reason.length).toBeGreaterThan(10);
  });

  it('reasons carry the numbers Explain needs', () => {
    const admission = admitRegion(region('us', { ageMs: 10_000, verdict: 'ALIVE' }), { nowMs: NOW, limits, previouslyUsable: undefined });
    expect(admission.reason).toBe(
      'silent for 10000 ms but the witness quorum says ALIVE: holding its last known targets (no premature failover; limit 900000 ms)',
    );
  });
});
