import { MAX_ROTATION_VARIANTS, distinctTargets, rotations, type Target } from './index';

const targets = (n: number): Target[] => Array.from({ length: n }, (_, i) => ({ address: `10.0.0.${i + 1}`, family: 4 }));
const firsts = (variants: Target[][]): string[] => variants.map((v) => v[0]?.address ?? '');

describe('rotations', () => {
  it.each([
    [0, 'single', 1],
    [1, 'single', 1],
    [2, 'rotate', 2],
    [16, 'rotate', 16],
    [40, 'rotate', MAX_ROTATION_VARIANTS],
  ])('%s targets → %s with %s variant(s)', (n, kind, count) => {
    const { variants, selector } = rotations(targets(n));
    expect(selector.kind).toBe(kind);
    expect(variants).toHaveLength(count);
    for (const v of variants) expect([...v].sort((a, b) => a.address.localeCompare(b.address))).toEqual([...targets(n)].sort((a, b) => a.address.localeCompare(b.address)));
  });

  it('variant i is rotation i while under the cap', () => {
    expect(firsts(rotations(targets(3)).variants)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(rotations(targets(3)).variants[1]?.map((t) => t.address)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.1']);
  });

  it('over the cap, rotations start at evenly spaced offsets', () => {
    expect(firsts(rotations(targets(8), 4).variants)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.5', '10.0.0.7']);
  });

  it('a silly cap still gives one variant', () => {
    expect(rotations(targets(3), 0).variants).toHaveLength(1);
  });
});

describe('distinctTargets', () => {
  it('drops repeated addresses (first wins) and the health flag', () => {
    expect(
      distinctTargets([
        { address: '10.0.0.1', family: 4, healthy: true } as Target,
        { address: '10.0.0.1', family: 4 },
        { address: '2001:db8::1', family: 6 },
      ]),
    ).toEqual([
      { address: '10.0.0.1', family: 4 },
      { address: '2001:db8::1', family: 6 },
    ]);
  });
});
