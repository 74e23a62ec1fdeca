import { consecutive, hostHealth, INITIAL_RISE_FALL, judge, targetHealth, type Health, type Verdict } from '../src';

/** Feeds results ('+' pass, '-' fail) and returns the verdict after each. */
function run(results: string, rise: number, fall: number): string {
  let state = INITIAL_RISE_FALL;
  return [...results]
    .map((r) => {
      state = judge(state, r === '+', { rise, fall });
      return state.verdict === 'up' ? 'U' : state.verdict === 'down' ? 'D' : '?';
    })
    .join('');
}

describe('judge (rise/fall)', () => {
  it.each([
    // results, rise, fall, verdicts
    ['+', 2, 3, 'U'],
    ['-', 2, 3, 'D'],
    ['+--+---', 2, 3, 'UUUUUUD'],
    ['+---', 2, 3, 'UUUD'],
    ['-+-++', 2, 3, 'DDDDU'],
    ['-+', 1, 1, 'DU'],
    ['+-+-+-', 1, 1, 'UDUDUD'],
    ['+-+-+-', 2, 2, 'UUUUUU'],
    ['+--++', 2, 2, 'UUDDU'],
    ['---+++', 3, 3, 'DDDDDU'],
    ['++++-+', 1, 2, 'UUUUUU'],
  ])('%s with rise %i fall %i gives %s', (results, rise, fall, expected) => {
    expect(run(results, rise, fall)).toBe(expected);
  });

  it('counts consecutive results of the latest outcome', () => {
    let state = INITIAL_RISE_FALL;
    const counts = [true, true, false, false, false, true].map((p) => consecutive((state = judge(state, p, { rise: 2, fall: 3 }))));
    expect(counts).toEqual([1, 2, 1, 2, 3, 1]);
  });
});

describe('targetHealth', () => {
  it.each<[Health, Verdict[], Health]>([
    ['healthy', [], 'healthy'],
    ['healthy', ['up', 'up'], 'healthy'],
    ['healthy', ['up', 'down'], 'unhealthy'],
    ['healthy', ['up', 'unknown'], 'unspecified'],
    ['healthy', ['unknown', 'down'], 'unhealthy'],
    ['unhealthy', ['up'], 'unhealthy'],
    ['notFound', ['up'], 'notFound'],
    ['unspecified', [], 'unhealthy'],
  ])('readiness %s with checks %j is %s', (readiness, checks, expected) => {
    expect(targetHealth(readiness, checks)).toBe(expected);
  });
});

describe('hostHealth', () => {
  it.each<[Health, Health[], Health]>([
    ['healthy', [], 'healthy'],
    ['healthy', ['unhealthy', 'healthy'], 'healthy'],
    ['healthy', ['unhealthy', 'unhealthy'], 'unhealthy'],
    ['healthy', ['unspecified'], 'unspecified'],
    ['healthy', ['unspecified', 'unhealthy'], 'unhealthy'],
    ['notFound', ['healthy'], 'notFound'],
    ['unhealthy', ['healthy'], 'unhealthy'],
  ])('readiness %s with targets %j is %s', (readiness, targets, expected) => {
    expect(hostHealth(readiness, targets)).toBe(expected);
  });
});
