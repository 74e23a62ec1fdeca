import type { AnswerPlan, Target } from '@meridian/strategies';
import { canonicalAnswer, fnv1a32, summarizeHostAnswer } from './host-answer-summary';

const t = (address: string): Target => ({ address, family: address.includes(':') ? 6 : 4 });

function plan(variants: string[][], extra: Partial<AnswerPlan> = {}): AnswerPlan {
  return {
    strategy: 'roundRobin',
    ttlSeconds: 30,
    variants: variants.map((v) => v.map(t)),
    selector: { kind: 'rotate' },
    failOpen: false,
    empty: variants.every((v) => v.length === 0),
    fallback: 'none',
    decisions: [],
    ...extra,
  };
}

describe('host answer summary', () => {
  it.each([
    ['FNV-1a of the empty string', '', 0x811c9dc5],
    ['FNV-1a of "a"', 'a', 0xe40c292c],
    ['FNV-1a of "foobar"', 'foobar', 0xbf9cf968],
  ])('%s', (_name, text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it.each([
    ['rotations of one list are the same answer', { a: plan([['1.1.1.1', '2.2.2.2'], ['2.2.2.2', '1.1.1.1']]) }, { a: plan([['1.1.1.1', '2.2.2.2']]) }, true],
    ['another address is another answer', { a: plan([['1.1.1.1']]) }, { a: plan([['2.2.2.2']]) }, false],
    ['failing open differs from a healthy answer with the same addresses', { a: plan([['1.1.1.1']], { failOpen: true }) }, { a: plan([['1.1.1.1']]) }, false],
    ['an AAAA plan counts', { a: plan([['1.1.1.1']]), aaaa: plan([['2001:db8::1']]) }, { a: plan([['1.1.1.1']]) }, false],
    ['geoip variants are compared as a set of answers', { a: plan([['1.1.1.1'], ['2.2.2.2']]) }, { a: plan([['2.2.2.2'], ['1.1.1.1']]) }, true],
  ])('%s', (_name, left, right, same) => {
    expect(canonicalAnswer(left) === canonicalAnswer(right)).toBe(same);
    expect(summarizeHostAnswer(left).digest === summarizeHostAnswer(right).digest).toBe(same);
  });

  it('counts healthy addresses (none when failing open) and lists the regions used', () => {
    const decisions = [
      { geoTag: 'us', usable: true, used: true, rule: 'fresh', reason: '' },
      { geoTag: 'eu', usable: true, used: false, rule: 'local', reason: '' },
    ] as AnswerPlan['decisions'];
    expect(summarizeHostAnswer({ a: plan([['1.1.1.1', '2.2.2.2']], { decisions }) })).toMatchObject({ healthyTargets: 2, regionsUsed: ['us'] });
    expect(summarizeHostAnswer({ a: plan([['1.1.1.1']], { failOpen: true }) }).healthyTargets).toBe(0);
  });
});
