import type { RegionTargetsChange } from '@meridian/proto';
import { addresses, host } from '../test/hosts';
import { RemoteTargets } from './remote-targets';

const at = (second: number) => new Date(Date.UTC(2026, 10, 21, 12, 0, second));

function changes(remote: RemoteTargets, from: number): RegionTargetsChange[] {
  const out: RegionTargetsChange[] = [];
  for (let cursor = from; cursor < remote.stream.version; cursor++) {
    const event = remote.stream.next(cursor);
    if (event?.kind === 'delta') out.push(...event.delta.changes);
  }
  return out;
}

describe('RemoteTargets', () => {
  it('makes a region known, then publishes only the hosts a snapshot changed, with its contact and connection', () => {
    const remote = new RemoteTargets({ contactUpdateMs: 5000 });
    remote.addRegion('us');
    remote.setConnected('us', true, at(1));
    remote.replaceHosts('us', [host('a', ['10.1.0.1']), host('b', ['10.1.0.2'])], at(1), { epoch: 'e1', version: 3 });
    const v = remote.stream.version;
    remote.replaceHosts('us', [host('a', ['10.1.0.1']), host('b', ['10.1.0.9'])], at(2), { epoch: 'e2', version: 1 });
    const [change] = changes(remote, v);
    expect(change).toMatchObject({ region: 'us', removedHosts: [], lastContact: at(2), connected: true, regionRemoved: false });
    expect(change?.upserted.map((h) => [h.host, h.region, addresses(h)])).toEqual([['b', 'us', ['10.1.0.9']]]);
    expect(remote.position('us')).toEqual({ epoch: 'e2', version: 1 });
  });

  it('publishes contact alone at most every contactUpdateMs, but a change of connection at once', () => {
    const remote = new RemoteTargets({ contactUpdateMs: 5000 });
    remote.replaceHosts('us', [host('a', ['10.1.0.1'])], at(0));
    const v = remote.stream.version;
    remote.contact('us', at(1));
    remote.contact('us', at(4));
    expect(remote.stream.version).toBe(v);
    remote.contact('us', at(6));
    expect(remote.stream.version).toBe(v + 1);
    remote.setConnected('us', true);
    remote.setConnected('us', true);
    expect(changes(remote, v).map((c) => [c.lastContact, c.connected])).toEqual([
      [at(6), false],
      [at(6), true],
    ]);
    expect(remote.view('us')).toEqual({ region: 'us', hosts: 1, connected: true, lastContact: at(6) });
  });

  it('keeps a disconnected region and its hosts; removes a region only when told, as a delta', () => {
    const remote = new RemoteTargets({ contactUpdateMs: 1000 });
    remote.replaceHosts('us', [host('a', ['10.1.0.1'])], at(0));
    remote.setConnected('us', false);
    expect(remote.hosts('us')).toHaveLength(1);
    const v = remote.stream.version;
    remote.removeRegion('us');
    expect(changes(remote, v)).toEqual([{ region: 'us', upserted: [], removedHosts: [], lastContact: undefined, connected: false, regionRemoved: true }]);
    expect(remote.snapshot()).toEqual({ regions: [] });
  });

  it('applies deltas, skipping hosts that did not change', () => {
    const remote = new RemoteTargets({ contactUpdateMs: 60_000 });
    remote.replaceHosts('us', [host('a', ['10.1.0.1']), host('b', ['10.1.0.2'])], at(0), { epoch: 'e', version: 1 });
    const v = remote.stream.version;
    remote.applyChanges('us', [host('a', ['10.1.0.1'])], [], at(1), { epoch: 'e', version: 2 });
    expect(remote.stream.version).toBe(v);
    expect(remote.position('us')).toEqual({ epoch: 'e', version: 2 });
    remote.applyChanges('us', [], ['b'], at(2), { epoch: 'e', version: 3 });
    expect(changes(remote, v)).toEqual([expect.objectContaining({ removedHosts: ['b'], upserted: [] })]);
    expect(remote.snapshot().regions.map((r) => [r.region, r.hosts.map((h) => h.host)])).toEqual([['us', ['a']]]);
  });
});
