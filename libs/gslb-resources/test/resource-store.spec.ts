import { parseAddress, ResourceStore, type StoreChange } from '../src';
import { endpointSlice, service, stored } from './objects';

describe('ResourceStore', () => {
  it('makes a scope hold exactly what replace gives it, and ignores identical re-deliveries', () => {
    const store = new ResourceStore();
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    const a = stored(service('a'));
    const b = stored(service('b'));
    store.replace('services', [a, b]);
    store.replace('services', [stored(service('a')), stored(service('c'))]);
    expect(store.list('service').map((o) => o.name)).toEqual(['a', 'c']);
    expect(changes.map((c) => c.keys.sort())).toEqual([['service/demo/a', 'service/demo/b'], ['service/demo/b', 'service/demo/c']]);
    store.upsert('services', stored(service('c')));
    expect(changes).toHaveLength(2);
  });

  it('treats a new resourceVersion as a change and the same one as none', () => {
    const store = new ResourceStore();
    const withRv = (rv: string) => {
      const json = service('a');
      (json.metadata as Record<string, unknown>)['resourceVersion'] = rv;
      return stored(json);
    };
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    store.upsert('s', withRv('5'));
    store.upsert('s', withRv('5'));
    store.upsert('s', withRv('6'));
    expect(changes).toHaveLength(2);
  });

  it('indexes EndpointSlices by their Service label, following label changes and deletes', () => {
    const store = new ResourceStore();
    store.upsert('eps', stored(endpointSlice('app-1', 'app', [true])));
    store.upsert('eps', stored(endpointSlice('app-2', 'app', [false])));
    expect(store.endpointSlicesOf('demo', 'app').map((o) => o.name).sort()).toEqual(['app-1', 'app-2']);
    store.upsert('eps', stored(endpointSlice('app-2', 'other', [false])));
    expect(store.endpointSlicesOf('demo', 'app').map((o) => o.name)).toEqual(['app-1']);
    store.remove('eps', 'endpointslice', 'demo', 'app-1');
    expect(store.endpointSlicesOf('demo', 'app')).toEqual([]);
    expect(store.endpointSlicesOf('demo', 'other').map((o) => o.name)).toEqual(['app-2']);
  });

  it('keeps problems per scope and says when they change; synced fires once', () => {
    const store = new ResourceStore();
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    const problem = { source: 'file:/x', resource: 'document 1', field: 'kind', message: 'bad' };
    store.setProblems('file', [problem]);
    store.setProblems('file', [problem]);
    store.synced();
    store.synced();
    expect(store.sourceProblems()).toEqual([problem]);
    expect(changes).toEqual([
      { keys: [], problemsChanged: true, synced: false },
      { keys: [], problemsChanged: false, synced: true },
    ]);
    expect(store.isInitiallySynced()).toBe(true);
  });
});

describe('parseAddress', () => {
  it.each([
    ['192.0.2.10', { address: '192.0.2.10', family: 'ipv4' }],
    ['2001:DB8:0:0:0:0:0:10', { address: '2001:db8::10', family: 'ipv6' }],
    ['::ffff:192.0.2.1', { address: '::ffff:c000:201', family: 'ipv6' }],
    ['LB.Example.NET.', { address: 'lb.example.net', family: 'name' }],
    ['localhost', undefined],
    ['300.1.1.1', undefined],
    ['fe80::1%eth0', undefined],
    ['a..b', undefined],
  ])('%s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });
});
