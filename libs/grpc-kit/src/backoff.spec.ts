import { Backoff } from './backoff';

describe('Backoff', () => {
  it.each([
    [0, [50, 100, 200, 400, 500, 500]],
    [0.999999, [100, 200, 400, 800, 1000, 1000]],
  ])('with random %s grows exponentially between half and all of the ceiling, capped', (random, expected) => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, random: () => random });
    expect(expected.map(() => backoff.next())).toEqual(expected);
    expect(backoff.attempts).toBe(6);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, random: () => 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(5);
  });
});
