import { addresses, host } from '../test/hosts';
import { LocalTargets } from './local-targets';

describe('LocalTargets', () => {
  const now = new Date('2026-11-21T12:00:05Z');

  it('publishes only what a prober snapshot changed, stamped with this region', () => {
    const local = new LocalTargets({ region: 'eu', now: () => now });
    local.replaceAll([host('a', ['10.0.0.1']), host('b', ['10.0.0.2'])]);
    expect(local.stream.version).toBe(1);
    local.replaceAll([host('a', ['10.0.0.1']), host('c', ['10.0.0.3'])]);
    expect(local.stream.version).toBe(2);
    const delta = local.stream.next(1);
    expect(delta).toMatchObject({ kind: 'delta', version: 2, delta: { removedHosts: ['b'] } });
    expect(delta?.kind === 'delta' && delta.delta.upserted.map((h) => [h.host, h.region, addresses(h)])).toEqual([['c', 'eu', ['10.0.0.3']]]);
    // The same snapshot again changes nothing.
    local.replaceAll([host('a', ['10.0.0.1']), host('c', ['10.0.0.3'])]);
    expect(local.stream.version).toBe(2);
  });

  it('skips prober deltas that change nothing, and removals of unknown hosts', () => {
    const local = new LocalTargets({ region: 'eu' });
    local.replaceAll([host('a', ['10.0.0.1'])]);
    local.apply([host('a', ['10.0.0.1'])], ['zzz']);
    expect(local.stream.version).toBe(1);
    local.apply([host('a', ['10.0.0.9'])], []);
    expect(local.stream.version).toBe(2);
  });

  it('gives a host without observedAt the time it was first seen with that content', () => {
    let clock = new Date('2026-11-21T12:00:00Z');
    const local = new LocalTargets({ region: 'eu', now: () => clock });
    local.replaceAll([{ ...host('a', ['10.0.0.1']), observedAt: undefined }]);
    clock = new Date('2026-11-21T12:01:00Z');
    local.replaceAll([{ ...host('a', ['10.0.0.1']), observedAt: undefined }]);
    expect(local.stream.version).toBe(1);
    const snapshot = local.stream.next(undefined);
    expect(snapshot?.kind === 'snapshot' && snapshot.snapshot.hosts[0]?.observedAt).toEqual(new Date('2026-11-21T12:00:00Z'));
  });

  it('is synced after the first snapshot, or when there is no prober', async () => {
    const local = new LocalTargets({ region: 'eu' });
    let synced = false;
    void local.whenSynced().then(() => (synced = true));
    await Promise.resolve();
    expect(synced).toBe(false);
    local.replaceAll([]);
    await Promise.resolve();
    expect(synced).toBe(true);
    expect(local.isSynced).toBe(true);
  });
});
