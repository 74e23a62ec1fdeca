import { VersionedStream } from './versioned-stream';

function makeStream(historyLimit = 3) {
  const state: string[] = [];
  const stream = new VersionedStream<string[], string>({ snapshot: () => [...state], epoch: 'e1', initialVersion: 10, historyLimit });
  const change = (item: string) => {
    state.push(item);
    return stream.publish(item);
  };
  return { stream, change };
}

describe('VersionedStream', () => {
  it('gives a new subscriber a snapshot at the current version, then each delta in order', () => {
    const { stream, change } = makeStream();
    change('a');
    const first = stream.next(undefined);
    expect(first).toEqual({ kind: 'snapshot', epoch: 'e1', version: 11, snapshot: ['a'] });
    expect(stream.next(11)).toBeUndefined();
    change('b');
    change('c');
    expect(stream.next(11)).toEqual({ kind: 'delta', epoch: 'e1', version: 12, delta: 'b' });
    expect(stream.next(12)).toEqual({ kind: 'delta', epoch: 'e1', version: 13, delta: 'c' });
    expect(stream.next(13)).toBeUndefined();
  });

  it.each([
    ['the same epoch within the history', { epoch: 'e1', version: 12 }, 12],
    ['the same epoch at the current version', { epoch: 'e1', version: 14 }, 14],
    ['the oldest resumable version', { epoch: 'e1', version: 11 }, 11],
    ['a version older than the history', { epoch: 'e1', version: 10 }, undefined],
    ['a version from the future', { epoch: 'e1', version: 15 }, undefined],
    ['another epoch', { epoch: 'e0', version: 12 }, undefined],
    ['no position', undefined, undefined],
  ])('resumes from %s', (_name, from, expected) => {
    const { stream, change } = makeStream();
    ['a', 'b', 'c', 'd'].forEach(change); // versions 11..14; history keeps 12..14
    expect(stream.resumeCursor(from)).toBe(expected);
  });

  it('sends a slow subscriber that fell out of the history a snapshot instead of lost deltas', () => {
    const { stream, change } = makeStream(2);
    change('a');
    const cursor = stream.version;
    ['b', 'c', 'd'].forEach(change);
    expect(stream.next(cursor)).toEqual({ kind: 'snapshot', epoch: 'e1', version: 14, snapshot: ['a', 'b', 'c', 'd'] });
  });

  it('wakes waiters on publish', async () => {
    const { stream, change } = makeStream();
    const woken = stream.changed().then(() => stream.version);
    change('x');
    await expect(woken).resolves.toBe(11);
  });

  it('makes a random epoch when none is given', () => {
    const a = new VersionedStream({ snapshot: () => null });
    const b = new VersionedStream({ snapshot: () => null });
    expect(a.epoch).not.toBe(b.epoch);
    expect(a.position).toEqual({ epoch: a.epoch, version: 0 });
  });
});
