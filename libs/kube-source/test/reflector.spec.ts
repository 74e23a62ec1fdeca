import { ResourceStore } from '@meridian/gslb-resources';
import { nullLogger } from '@meridian/logging';
import { DEFAULT_RESOURCE_TYPES, KubeTestServer } from '@meridian/kube-test-server';
import { KubernetesSource, type SourceObserver } from '../src';
import { httpKubeApi } from './http-kube-api';

const service = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'demo', labels }, spec: { type: 'ClusterIP' } });

function recorder(): SourceObserver & { lists: string[]; ends: string[] } {
  const lists: string[] = [];
  const ends: string[] = [];
  return {
    lists,
    ends,
    listed: (kind, reason) => lists.push(`${kind}:${reason}`),
    event: () => undefined,
    watchEnded: (kind, reason) => ends.push(`${kind}:${reason}`),
    failed: () => undefined,
    fileLoaded: () => undefined,
    synced: () => undefined,
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('KubernetesSource reflectors against the test API server', () => {
  let server: KubeTestServer;
  let source: KubernetesSource;
  let store: ResourceStore;
  let observer: ReturnType<typeof recorder>;

  async function startSource(options: { kinds?: ('service' | 'gslb' | 'gslb-legacy')[]; namespaces?: string[] } = {}) {
    store = new ResourceStore();
    observer = recorder();
    source = new KubernetesSource({
      api: httpKubeApi(server.url),
      logger: nullLogger,
      observer,
      kinds: options.kinds ?? ['service'],
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      reflector: { pageSize: 2, watchTimeoutSeconds: 60, random: () => 0 },
    });
    await source.start(store);
    await until(() => store.isInitiallySynced(), 'the initial sync');
  }

  beforeEach(async () => {
    server = await KubeTestServer.start({ bookmarkIntervalMs: 0 });
  });

  afterEach(async () => {
    await source?.stop();
    await server.stop();
  });

  const names = () => store.list('service').map((o) => o.name);
  const serviceRequests = () => server.requests.filter((r) => r.path === '/api/v1/services');

  it('lists in pages, then applies watch events as they happen', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) server.put(service(n));
    await startSource();
    expect(names()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(serviceRequests().filter((r) => !r.watch).map((r) => r.query['limit'])).toEqual(['2', '2', '2']);
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.put(service('f'));
    server.remove('v1', 'Service', 'demo', 'a');
    server.patch('v1', 'Service', 'demo', 'b', { metadata: { labels: { v: '2' } } });
    await until(() => names().join() === 'b,c,d,e,f', 'the watch events');
    expect(store.get('service', 'demo', 'b')?.json.metadata?.labels).toEqual({ v: '2' });
  });

  it('resumes a cut watch from the last resourceVersion without listing again, and misses nothing', async () => {
    server.put(service('a'));
    await startSource();
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.put(service('b'));
    await until(() => names().join() === 'a,b', 'b');
    const lastSeen = server.get('v1', 'Service', 'demo', 'b')?.metadata.resourceVersion;
    server.cutWatches();
    // Changes while the client is disconnected come from the history when it resumes.
    server.put(service('c'));
    server.remove('v1', 'Service', 'demo', 'a');
    await until(() => names().join() === 'b,c', 'the changes made while cut');
    const watches = serviceRequests().filter((r) => r.watch);
    expect(watches.map((w) => w.query['resourceVersion'])).toEqual([expect.any(String), lastSeen]);
    expect(watches.every((w) => w.query['allowWatchBookmarks'] === 'true')).toBe(true);
    expect(serviceRequests().filter((r) => !r.watch)).toHaveLength(1);
    expect(observer.lists).toEqual(['Service:initial']);
  });

  it('advances its position on BOOKMARKs, so it can resume after changes to other kinds', async () => {
    await startSource();
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.put({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: { name: 'g', namespace: 'demo' }, spec: {} });
    const current = String(server.store.resourceVersion);
    server.sendBookmarks();
    await until(() => {
      server.cutWatches({ graceful: true });
      return serviceRequests().some((r) => r.watch && r.query['resourceVersion'] === current);
    }, 'a watch resumed from the bookmark');
  });

  it('lists again after 410 Gone (compacted history) and replaces what it had, deletions included', async () => {
    server.put(service('a'));
    server.put(service('b'));
    await startSource();
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.cutWatches();
    server.remove('v1', 'Service', 'demo', 'a');
    server.put(service('z'));
    server.compact();
    await until(() => names().join() === 'b,z', 'the re-list');
    expect(observer.lists).toEqual(['Service:initial', 'Service:gone']);
    expect(observer.ends).toContain('Service:gone');
  });

  it('lists again when the server expires an open watch with an ERROR 410 event', async () => {
    await startSource();
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.expireWatches();
    await until(() => observer.lists.length === 2, 'the re-list');
    expect(observer.lists).toEqual(['Service:initial', 'Service:gone']);
  });

  it('lists again when a watch is refused with HTTP 410', async () => {
    await server.stop();
    server = await KubeTestServer.start({ goneOnWatch: 'http', bookmarkIntervalMs: 0 });
    server.put(service('a'));
    await startSource();
    await until(() => server.watchCount('Service') === 1, 'the watch');
    server.cutWatches();
    server.put(service('b'));
    server.compact();
    await until(() => names().join() === 'a,b', 'the re-list');
    expect(observer.lists).toEqual(['Service:initial', 'Service:gone']);
  });

  it('counts a kind the server does not serve as empty and synced, and watches per namespace when asked', async () => {
    await server.stop();
    server = await KubeTestServer.start({ resourceTypes: DEFAULT_RESOURCE_TYPES.filter((t) => t.group !== 'k8gb.absa.oss') });
    server.put(service('a'));
    server.put({ ...service('x'), metadata: { name: 'x', namespace: 'other' } });
    await startSource({ kinds: ['service', 'gslb-legacy'], namespaces: ['demo'] });
    expect(observer.lists).toEqual(expect.arrayContaining(['Gslb:not-served', 'Service:initial']));
    expect(names()).toEqual(['a']);
    expect(server.requests.some((r) => r.path === '/api/v1/namespaces/demo/services')).toBe(true);
  });
});
