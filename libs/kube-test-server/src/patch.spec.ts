import { jsonPatch, mergePatch, PatchError } from './patch';
import { matchesLabels, parseLabelSelector } from './label-selector';

describe('mergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 1, b: { c: 2 } }, { b: { d: 3 } }, { a: 1, b: { c: 2, d: 3 } }],
    [{ a: 1, b: 2 }, { b: null }, { a: 1 }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, 'x', 'x'],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('jsonPatch (RFC 6902)', () => {
  it.each([
    [{ a: 1 }, [{ op: 'add', path: '/b', value: 2 }], { a: 1, b: 2 }],
    [{ a: [1, 3] }, [{ op: 'add', path: '/a/1', value: 2 }], { a: [1, 2, 3] }],
    [{ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }], { a: [1, 2] }],
    [{ a: 1, b: 2 }, [{ op: 'remove', path: '/a' }], { b: 2 }],
    [{ a: 1 }, [{ op: 'replace', path: '/a', value: 5 }], { a: 5 }],
    [{ a: 1 }, [{ op: 'move', from: '/a', path: '/b' }], { b: 1 }],
    [{ a: { x: 1 } }, [{ op: 'copy', from: '/a', path: '/b' }], { a: { x: 1 }, b: { x: 1 } }],
    [{ 'a/b': 1 }, [{ op: 'replace', path: '/a~1b', value: 2 }], { 'a/b': 2 }],
  ])('%j with %j = %j', (target, ops, expected) => {
    expect(jsonPatch(target, ops)).toEqual(expected);
  });

  it.each([
    [{ a: 1 }, [{ op: 'remove', path: '/b' }]],
    [{ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]],
    [{ a: [] }, [{ op: 'add', path: '/a/5', value: 1 }]],
    [{ a: 1 }, { op: 'add' }],
  ])('refuses %j with %j', (target, ops) => {
    expect(() => jsonPatch(target, ops)).toThrow(PatchError);
  });
});

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['tier in (a, b)', { tier: 'b' }, true],
    ['tier notin (a,b)', { tier: 'b' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier in (a)', { app: 'web', tier: 'a' }, true],
  ])('%s against %j is %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(/unable to parse/);
  });
});
