import { namespaceName, newRunName, parseRunName, runBase } from './run-names';

describe('run names', () => {
  it('carry the owner pid, so sweep can tell dead runs from live ones', () => {
    const run = newRunName('mrd', 4242);
    expect(runBase(run)).toMatch(/^mrd4242x[0-9a-f]{6}$/);
    expect(parseRunName(namespaceName(run, 'witness-1'))).toEqual(run);
    expect(parseRunName(runBase(run))).toEqual(run);
  });

  it.each(['mrdx1-eu', 'other4242xabc-eu', 'mrd4242-eu', 'mrd12xzz-eu'])('ignores %s', (name) => {
    expect(parseRunName(name)).toBeUndefined();
  });

  it('rejects a prefix that would make long or odd names', () => {
    expect(() => newRunName('Way-Too-Long')).toThrow(/1 to 8 lower-case/);
  });
});
