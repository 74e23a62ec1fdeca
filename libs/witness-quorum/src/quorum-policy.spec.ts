import { majority, quorumProblems } from './index';

describe('majority', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [6, 4],
  ])('of %i observers is %i', (n, m) => {
    expect(majority(n)).toBe(m);
  });
});

describe('quorumProblems', () => {
  it.each<[number, number, string | undefined]>([
    [3, 2, undefined],
    [3, 3, undefined],
    [1, 1, undefined],
    [4, 3, undefined],
    [4, 2, 'quorum 2 of 4 is not a majority, so ALIVE and DOWN could both be reached: use at least 3'],
    [3, 1, 'quorum 1 of 3 is not a majority, so ALIVE and DOWN could both be reached: use at least 2'],
    [3, 4, 'quorum 4 cannot be reached with 3 observers: use at most 3'],
    [0, 1, '0 observers: configure at least one resolver or peer witness'],
  ])('N=%i M=%i', (n, m, problem) => {
    expect(quorumProblems(n, m)).toEqual(problem === undefined ? [] : [problem]);
  });
});
