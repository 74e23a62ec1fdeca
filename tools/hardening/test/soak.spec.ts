import { runHarness } from './support/run-harness';

// The short soak (the bench runs it for 10 minutes): two regions on loopback, dnsperf at a
// modest fixed rate on both nameservers while the sample apps' health flips every 4 s (3 s in
// the bench; a busy CI machine gets more room to follow each flip before the next).
interface LoadResult {
  sent: number;
  lost: number;
  rcodes: Record<string, number>;
  p99Ms: number;
  maxMs: number;
}
interface SoakResult {
  elapsedSeconds: number;
  flips: number;
  flipErrors: string[];
  convergence: { followed: number; missed: number; p50Ms?: number; maxMs?: number };
  sent: number;
  lost: number;
  unexpectedRcodes: Record<string, number>;
  load: Record<string, LoadResult>;
  poller: { stats: Record<string, { queries: number; failed: number; serialChanges: number }>; regressions: unknown[]; restartRegressions: unknown[] };
  memory: { process: string; firstMiB: number; lastMiB: number; maxMiB: number; slopeMiBPerMin: number }[];
  crashes: unknown[];
}

const SECONDS = 60;
const QPS = 1000;
const FLIP_SECONDS = 4;
let result: SoakResult;

beforeAll(async () => {
  result = await runHarness<SoakResult>('soak.mjs', ['--seconds', String(SECONDS), '--qps', String(QPS), '--flip-seconds', String(FLIP_SECONDS)], 150_000);
  const mem = result.memory.map((m) => `${m.process} ${m.firstMiB.toFixed(0)}→${m.lastMiB.toFixed(0)} MiB (${m.slopeMiBPerMin.toFixed(2)} MiB/min)`).join('; ');
  console.log(
    `soak: ${result.sent} queries in ${result.elapsedSeconds.toFixed(1)} s, lost ${result.lost}, ${result.flips} flips ` +
      `(followed ${result.convergence.followed}, p50 ${result.convergence.p50Ms} ms, max ${result.convergence.maxMs} ms), ` +
      `p99 ${Object.entries(result.load).map(([r, l]) => `${r} ${l.p99Ms} ms`).join(', ')}; RSS: ${mem}`,
  );
}, 160_000);

it('sends the whole load at both nameservers and loses no query while health flips', () => {
  // Whole passes through a 9-line query file at 500 qps per nameserver for 60 s.
  expect(result.sent).toBeGreaterThanOrEqual(SECONDS * QPS * 0.99);
  expect(result.lost).toBe(0);
  for (const load of Object.values(result.load)) expect(load.lost).toBe(0);
  expect(result.flips).toBeGreaterThanOrEqual(SECONDS / FLIP_SECONDS - 2);
  expect(result.flipErrors).toEqual([]);
  expect(result.crashes).toEqual([]);
});

it('answers only the expected rcodes (NOERROR, NXDOMAIN for missing names and absent localtargets, REFUSED outside the zone)', () => {
  expect(result.unexpectedRcodes).toEqual({});
  for (const load of Object.values(result.load)) {
    expect(load.rcodes.NOERROR).toBeGreaterThan(0);
    expect(load.rcodes.NXDOMAIN).toBeGreaterThan(0);
    expect(load.rcodes.REFUSED).toBeGreaterThan(0);
    expect(Object.keys(load.rcodes).sort()).toEqual(['NOERROR', 'NXDOMAIN', 'REFUSED']);
  }
});

it('follows every flip at both nameservers, and the SOA serial only moves forward', () => {
  // Every eu flip moves failover.gslb.example.com; each must show at both nameservers before the next flip.
  expect(result.convergence.followed).toBeGreaterThanOrEqual(Math.floor(result.flips / 2) - 1);
  expect(result.convergence.missed).toBe(0);
  expect(result.poller.regressions).toEqual([]);
  expect(result.poller.restartRegressions).toEqual([]);
  for (const stats of Object.values(result.poller.stats)) {
    expect(stats.failed).toBe(0);
    // The poller saw the zone change (each flip, each heartbeat): the check had something to check.
    expect(stats.serialChanges).toBeGreaterThanOrEqual(result.convergence.followed);
  }
});

it('keeps every service well inside a generous memory bound (the slope is reported, the bench judges it)', () => {
  expect(result.memory.length).toBe(12);
  for (const m of result.memory) expect(m.maxMiB).toBeLessThan(1024);
});
