import { decideVerdict, initialVerdict, type Observation, type ObservationResult, type QuorumPolicy, type RegionVerdict, type VerdictState } from './index';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const policy: QuorumPolicy = { observers: 3, quorum: 2, aliveAfterMs: 2_000, downAfterMs: 3_000, evidenceMaxAgeMs: 10_000 };

/** One observation: `F` fresh, `S` stale, `X` failed with the observer answering, `-` the observer did not answer. */
type Mark = 'F' | 'S' | 'X' | '-';

function observations(marks: string, atMs: number): Observation[] {
  return [...marks].map((mark, i) => {
    const result: ObservationResult = mark === 'F' ? 'FRESH' : mark === 'S' ? 'STALE' : 'FAILED';
    return {
      observer: `10.0.0.${i + 1}:53`,
      kind: 'RESOLVER',
      region: 'eu',
      result,
      reason: `mark ${mark as Mark}`,
      observedAt: atMs,
      heartbeatSequence: result === 'FAILED' ? 0 : 7,
      latencyMs: 3,
      observerAnswered: mark !== '-',
    };
  });
}

/** Runs rounds one second apart from a fresh verdict and returns the state after each. */
function run(rounds: string[], options: { policy?: QuorumPolicy; start?: RegionVerdict } = {}): { states: string[]; last: RegionVerdict } {
  const p = options.policy ?? policy;
  let verdict = options.start ?? initialVerdict('eu', p, T0);
  const states: string[] = [];
  rounds.forEach((marks, i) => {
    const now = T0 + (i + 1) * 1_000;
    verdict = decideVerdict(verdict, observations(marks, now), now, p).verdict;
    states.push(`${verdict.state}/${verdict.lastDecided}`);
  });
  return { states, last: verdict };
}

describe('decideVerdict: M of N with hysteresis', () => {
  it.each<[string, string[], string[]]>([
    ['all see it: ALIVE at once (first decision)', ['FFF'], ['ALIVE/ALIVE']],
    ['a majority sees it', ['FFX'], ['ALIVE/ALIVE']],
    ['a majority reports it unreachable: DOWN at once (first decision)', ['XXF'], ['DOWN/DOWN']],
    ['stale counts as unreachable: no recent proof of life', ['SSF'], ['DOWN/DOWN']],
    ['no quorum either way: UNKNOWN, nothing decided yet', ['FX-'], ['UNKNOWN/UNKNOWN']],
    ['observers that do not answer abstain: never DOWN from our own isolation', ['---', '---'], ['UNKNOWN/UNKNOWN', 'UNKNOWN/UNKNOWN']],
    ['ALIVE → DOWN only after the quorum held for downAfterMs (3 s)', ['FFF', 'XXX', 'XXX', 'XXX', 'XXX'], ['ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'DOWN/DOWN']],
    ['a DOWN blip shorter than the hysteresis is invisible', ['FFF', 'XXX', 'XXF', 'FFF', 'FFF'], ['ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE']],
    ['an interrupted DOWN quorum starts its hysteresis again', ['FFF', 'XXX', 'XXX', 'FX-', 'XXX', 'XXX', 'XXX', 'XXX'], ['ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'DOWN/DOWN']],
    ['DOWN → ALIVE after aliveAfterMs (2 s)', ['XXX', 'FFF', 'FFF', 'FFF'], ['DOWN/DOWN', 'DOWN/DOWN', 'DOWN/DOWN', 'ALIVE/ALIVE']],
    ['losing the quorum: UNKNOWN while ALIVE holds', ['FFF', 'F--'], ['ALIVE/ALIVE', 'UNKNOWN/ALIVE']],
    ['losing the quorum: UNKNOWN while DOWN holds', ['XXX', '-X-'], ['DOWN/DOWN', 'UNKNOWN/DOWN']],
    ['UNKNOWN back to the held decision needs no hysteresis', ['FFF', '---', 'FF-'], ['ALIVE/ALIVE', 'UNKNOWN/ALIVE', 'ALIVE/ALIVE']],
    ['observers disagreeing without a quorum never move the decision', ['FFF', 'FX-', 'XF-', 'FX-', 'XF-', 'FX-'], ['ALIVE/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE', 'UNKNOWN/ALIVE']],
    ['flapping every round never decides DOWN', ['FFF', 'XXX', 'FFF', 'XXX', 'FFF', 'XXX', 'FFF'], ['ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE', 'ALIVE/ALIVE']],
  ])('%s', (_name, rounds, expected) => {
    expect(run(rounds).states).toEqual(expected);
  });

  it.each<[string, QuorumPolicy, string, VerdictState]>([
    ['4 of 5 (M = 4): three failures are not enough', { ...policy, observers: 5, quorum: 4 }, 'XXXFF', 'UNKNOWN'],
    ['4 of 5 (M = 4): four failures are', { ...policy, observers: 5, quorum: 4 }, 'XXXXF', 'DOWN'],
    ['3 of 4 (majority): 2 against 2 is no quorum', { ...policy, observers: 4, quorum: 3 }, 'FFXX', 'UNKNOWN'],
    ['1 of 1 (the loopback demo: one peer witness)', { ...policy, observers: 1, quorum: 1 }, 'F', 'ALIVE'],
    ['1 of 1 whose only observer is unreachable', { ...policy, observers: 1, quorum: 1 }, '-', 'UNKNOWN'],
  ])('%s', (_name, p, marks, expected) => {
    expect(run([marks], { policy: p }).last.state).toBe(expected);
  });

  it('counts missing observers as abstaining', () => {
    const verdict = decideVerdict(initialVerdict('eu', policy, T0), observations('F', T0), T0, policy).verdict;
    expect(verdict).toMatchObject({ state: 'UNKNOWN', reachable: 1, unreachable: 0, observers: 3, quorum: 2 });
  });

  it('lets evidence older than evidenceMaxAgeMs abstain', () => {
    const old = observations('XXX', T0);
    const decision = decideVerdict(initialVerdict('eu', policy, T0), old, T0 + 10_001, policy);
    expect(decision.verdict).toMatchObject({ state: 'UNKNOWN', reachable: 0, unreachable: 0 });
  });

  it('keeps only the latest observation of each observer', () => {
    const early = observations('XXX', T0);
    const late = observations('FF', T0 + 500);
    const verdict = decideVerdict(initialVerdict('eu', policy, T0), [...late, ...early], T0 + 600, policy).verdict;
    expect(verdict).toMatchObject({ state: 'ALIVE', reachable: 2, unreachable: 1 });
    expect(verdict.evidence).toHaveLength(3);
  });

  it('reports every change with its evidence and a reason that carries the numbers', () => {
    let verdict = run(['FFF']).last;
    const at = T0 + 10_000;
    let decision = decideVerdict(verdict, observations('XXF', at), at, policy);
    expect(decision.change).toBeUndefined();
    expect(decision.pendingStarted).toEqual({ state: 'DOWN', since: at });
    verdict = decision.verdict;
    decision = decideVerdict(verdict, observations('XXF', at + 3_000), at + 3_000, policy);
    expect(decision.change).toMatchObject({
      region: 'eu',
      from: { state: 'ALIVE', lastDecided: 'ALIVE' },
      to: { state: 'DOWN', lastDecided: 'DOWN' },
      at: at + 3_000,
      reason: '2 of 3 observers report eu unreachable (quorum 2), held for 3000 ms (hysteresis 3000 ms)',
    });
    expect(decision.change?.evidence.map((o) => o.result)).toEqual(['FAILED', 'FAILED', 'FRESH']);
    expect(decision.verdict.decidedAt).toBe(at + 3_000);
  });

  it('explains UNKNOWN: who sees it, who does not, who abstains, and what holds', () => {
    const decision = decideVerdict(run(['FFF']).last, observations('FX-', T0 + 5_000), T0 + 5_000, policy);
    expect(decision.reason).toBe('no quorum on eu: 1 see its heartbeat, 1 report it unreachable, 1 abstain (quorum 2 of 3); ALIVE holds');
    expect(decision.change).toMatchObject({ from: { state: 'ALIVE' }, to: { state: 'UNKNOWN', lastDecided: 'ALIVE' } });
  });

  it('keeps decidedAt while the decision holds', () => {
    const { last } = run(['FFF', 'FFF', '---', 'FFF']);
    expect(last.decidedAt).toBe(T0 + 1_000);
    expect(last.updatedAt).toBe(T0 + 4_000);
  });
});
