import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is the conjunction of its conditions and reports each flip once', () => {
    const readiness = new Readiness();
    const flips: boolean[] = [];
    readiness.onChange((ready) => flips.push(ready));
    expect(readiness.isReady()).toBe(true);
    readiness.set('zone', false, 'waiting');
    readiness.set('peers', false, 'waiting');
    readiness.set('zone', true);
    readiness.set('peers', true);
    readiness.markDraining();
    expect(flips).toEqual([false, true, false]);
    readiness.set('zone', true);
    expect(readiness.isReady()).toBe(false);
  });
});
