import { request } from 'node:http';
import { KubeTestServer } from '../src';

interface WatchLine {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

/** A raw watch over node:http, so the test sees exactly what goes over the wire. */
function openWatch(url: string): { events: WatchLine[]; ended: Promise<'end' | 'error'>; close: () => void; next: (n: number) => Promise<WatchLine[]> } {
  const events: WatchLine[] = [];
  let buffer = '';
  let close = () => undefined as void;
  let onEvent = () => undefined as void;
  const ended = new Promise<'end' | 'error'>((resolve) => {
    const req = request(url, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line) events.push(JSON.parse(line) as WatchLine);
        onEvent();
      });
      res.on('end', () => resolve('end'));
      res.on('error', () => resolve('error'));
      res.on('aborted', () => resolve('error'));
    });
    req.on('error', () => resolve('error'));
    req.end();
    close = () => req.destroy();
  });
  const next = (n: number) =>
    new Promise<WatchLine[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${events.length} events: ${JSON.stringify(events)}`)), 3000);
      const check = () => {
        if (events.length >= n) {
          clearTimeout(timer);
          resolve(events.slice(0, n));
        }
      };
      onEvent = check;
      check();
    });
  return { events, ended, close: () => close(), next };
}

const service = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'demo', labels },
  spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
  status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
});

describe('KubeTestServer', () => {
  let server: KubeTestServer;

  beforeEach(async () => {
    server = await KubeTestServer.start({ bookmarkIntervalMs: 0 });
  });

  afterEach(async () => {
    await server.stop();
  });

  const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  it('serves discovery for core and grouped kinds, status subresources included', async () => {
    const core = (await (await api('/api/v1')).json()) as { resources: { name: string; kind: string }[] };
    expect(core.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'services', kind: 'Service' }), expect.objectContaining({ name: 'services/status' })]));
    const gslb = (await (await api('/apis/k8gb.absa.oss/v1beta1')).json()) as { groupVersion: string; resources: { name: string }[] };
    expect(gslb.groupVersion).toBe('k8gb.absa.oss/v1beta1');
    expect(gslb.resources.map((r) => r.name)).toEqual(['gslbs', 'gslbs/status']);
    const groups = (await (await api('/apis')).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['k8gb.io', 'coordination.k8s.io', 'gateway.networking.k8s.io']));
    expect((await api('/apis/example.com/v1')).status).toBe(404);
  });

  it('lists built-in kinds without apiVersion/kind per item and custom kinds with them, at the current resourceVersion', async () => {
    server.put(service('a'));
    server.put({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: { name: 'g', namespace: 'demo' }, spec: { strategy: { type: 'roundRobin' } } });
    const services = (await (await api('/api/v1/namespaces/demo/services')).json()) as { kind: string; metadata: { resourceVersion: string }; items: Record<string, unknown>[] };
    expect(services.kind).toBe('ServiceList');
    expect(services.metadata.resourceVersion).toBe(String(server.store.resourceVersion));
    expect(services.items[0]).not.toHaveProperty('kind');
    expect(services.items[0]).toMatchObject({ metadata: { name: 'a', uid: expect.any(String), resourceVersion: expect.any(String) } });
    const gslbs = (await (await api('/apis/k8gb.io/v1beta1/gslbs')).json()) as { items: Record<string, unknown>[] };
    expect(gslbs.items[0]).toMatchObject({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb' });
    expect((await (await api('/apis/k8gb.absa.oss/v1beta1/gslbs')).json()) as { items: unknown[] }).toMatchObject({ items: [] });
  });

  it('pages with limit and continue, and expires a continue token older than the compacted history', async () => {
    for (const name of ['a', 'b', 'c']) server.put(service(name));
    const first = (await (await api('/api/v1/services?limit=2')).json()) as { metadata: { continue: string }; items: { metadata: { name: string } }[] };
    expect(first.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    const second = (await (await api(`/api/v1/services?limit=2&continue=${first.metadata.continue}`)).json()) as { metadata: { continue?: string }; items: { metadata: { name: string } }[] };
    expect(second.items.map((i) => i.metadata.name)).toEqual(['c']);
    expect(second.metadata.continue).toBeUndefined();
    server.put(service('d'));
    server.compact();
    const expired = await api(`/api/v1/services?limit=2&continue=${first.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('filters lists by label selector and field selector', async () => {
    server.put(service('web', { app: 'web', tier: 'front' }));
    server.put(service('db', { app: 'db' }));
    const names = async (query: string) =>
      ((await (await api(`/api/v1/services?${query}`)).json()) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
    expect(await names('labelSelector=app%3Dweb')).toEqual(['web']);
    expect(await names('labelSelector=app%20in%20(web,db),!tier')).toEqual(['db']);
    expect(await names('fieldSelector=metadata.name%3Ddb')).toEqual(['db']);
  });

  it('creates, reads, replaces with optimistic concurrency, patches and deletes over HTTP', async () => {
    const json = { 'Content-Type': 'application/json' };
    const created = await api('/api/v1/namespaces/demo/services', { method: 'POST', headers: json, body: JSON.stringify(service('x')) });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { metadata: { resourceVersion: string; generation: number }; status?: unknown };
    // Status is the status subresource's business: dropped on create.
    expect(body.status).toBeUndefined();
    expect((await api('/api/v1/namespaces/demo/services', { method: 'POST', headers: json, body: JSON.stringify(service('x')) })).status).toBe(409);

    const stale = { ...service('x'), metadata: { name: 'x', namespace: 'demo', resourceVersion: '1' } };
    expect((await api('/api/v1/namespaces/demo/services/x', { method: 'PUT', headers: json, body: JSON.stringify(stale) })).status).toBe(409);

    const patched = await api('/api/v1/namespaces/demo/services/x', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { patched: 'yes' } }, spec: { type: 'ClusterIP' } }),
    });
    expect(await patched.json()).toMatchObject({ metadata: { labels: { patched: 'yes' }, generation: 2 }, spec: { type: 'ClusterIP' } });

    const jsonPatched = await api('/api/v1/namespaces/demo/services/x', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/spec/type', value: 'NodePort' }]),
    });
    expect(await jsonPatched.json()).toMatchObject({ spec: { type: 'NodePort' } });

    expect((await api('/api/v1/namespaces/demo/services/x', { method: 'DELETE' })).status).toBe(200);
    const missing = await api('/api/v1/namespaces/demo/services/x');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', details: { name: 'x', kind: 'services' } });
  });

  it('changes only status through the status subresource, generically for any kind that has one (Gslb, Lease-free kinds refuse it)', async () => {
    server.put({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: { name: 'g', namespace: 'demo' }, spec: { strategy: { type: 'failover' } } });
    const put = await api('/apis/k8gb.io/v1beta1/namespaces/demo/gslbs/g/status', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'g' }, spec: { strategy: { type: 'CHANGED' } }, status: { geoTag: 'eu', serviceHealth: { 'a.example.com': 'Healthy' } } }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ spec: { strategy: { type: 'failover' } }, status: { geoTag: 'eu' }, metadata: { generation: 1 } });
    const patch = await api('/apis/k8gb.io/v1beta1/namespaces/demo/gslbs/g/status', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { hosts: 'a.example.com' } }),
    });
    expect(await patch.json()).toMatchObject({ status: { geoTag: 'eu', hosts: 'a.example.com' } });
    // The main resource keeps the status it has.
    const main = await api('/apis/k8gb.io/v1beta1/namespaces/demo/gslbs/g', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { geoTag: 'us' }, metadata: { labels: { x: 'y' } } }),
    });
    expect(await main.json()).toMatchObject({ status: { geoTag: 'eu' }, metadata: { labels: { x: 'y' } } });

    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'records', namespace: 'meridian' }, spec: { holderIdentity: 'eu-1', leaseDurationSeconds: 15 } };
    const created = await api('/apis/coordination.k8s.io/v1/namespaces/meridian/leases', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lease) });
    const createdBody = (await created.json()) as { metadata: { resourceVersion: string } };
    const renewed = await api('/apis/coordination.k8s.io/v1/namespaces/meridian/leases/records', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...lease, metadata: { ...lease.metadata, resourceVersion: createdBody.metadata.resourceVersion }, spec: { ...lease.spec, renewTime: '2026-01-01T00:00:00.000000Z' } }),
    });
    expect(renewed.status).toBe(200);
    expect((await api('/apis/coordination.k8s.io/v1/namespaces/meridian/leases/records/status')).status).toBe(404);
  });

  it('watches from a resourceVersion: replays what came after it, then streams changes live', async () => {
    server.put(service('a'));
    const since = server.store.resourceVersion;
    server.put(service('b'));
    const watch = openWatch(`${server.url}/api/v1/services?watch=1&resourceVersion=${since}`);
    await watch.next(1);
    server.patch('v1', 'Service', 'demo', 'a', { metadata: { labels: { v: '2' } } });
    server.remove('v1', 'Service', 'demo', 'b');
    const events = await watch.next(3);
    expect(events.map((e) => [e.type, e.object.metadata?.name])).toEqual([
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b'],
    ]);
    // Each event carries the resourceVersion of its change, in order.
    const rvs = events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    watch.close();
  });

  it('starts a watch without a resourceVersion with synthetic ADDED events for what exists', async () => {
    server.put(service('a'));
    server.put(service('b'));
    const watch = openWatch(`${server.url}/api/v1/namespaces/demo/services?watch=true`);
    expect((await watch.next(2)).map((e) => [e.type, e.object.metadata?.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    watch.close();
  });

  it('sends BOOKMARKs only to watches that allowed them, at the current resourceVersion', async () => {
    const plain = openWatch(`${server.url}/api/v1/services?watch=1&resourceVersion=${server.store.resourceVersion}`);
    const bookmarked = openWatch(`${server.url}/api/v1/services?watch=1&allowWatchBookmarks=true&resourceVersion=${server.store.resourceVersion}`);
    await waitFor(() => server.watchCount('Service') === 2);
    server.put({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'other', namespace: 'demo' }, addressType: 'IPv4', endpoints: [] });
    server.sendBookmarks();
    const [bookmark] = await bookmarked.next(1);
    expect(bookmark).toEqual({ type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: String(server.store.resourceVersion) } } });
    expect(plain.events).toEqual([]);
    plain.close();
    bookmarked.close();
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event carrying a 410 Status, then closes', async () => {
    server.put(service('a'));
    const old = server.store.resourceVersion;
    server.put(service('b'));
    server.compact();
    const watch = openWatch(`${server.url}/api/v1/services?watch=1&resourceVersion=${old}`);
    const [event] = await watch.next(1);
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(await watch.ended).toBe('end');
  });

  it('can refuse a compacted watch with HTTP 410 instead', async () => {
    const other = await KubeTestServer.start({ goneOnWatch: 'http' });
    try {
      other.put(service('a'));
      other.compact();
      const res = await fetch(`${other.url}/api/v1/services?watch=1&resourceVersion=1`);
      expect(res.status).toBe(410);
    } finally {
      await other.stop();
    }
  });

  it('sends an object leaving a label-selected watch as DELETED and one entering it as ADDED', async () => {
    server.put(service('a', { app: 'web' }));
    const watch = openWatch(`${server.url}/api/v1/services?watch=1&labelSelector=app%3Dweb&resourceVersion=${server.store.resourceVersion}`);
    await waitFor(() => server.watchCount() === 1);
    server.patch('v1', 'Service', 'demo', 'a', { metadata: { labels: { app: 'other' } } });
    server.patch('v1', 'Service', 'demo', 'a', { metadata: { labels: { app: 'web' } } });
    expect((await watch.next(2)).map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    watch.close();
  });

  it('cuts watches abruptly or gracefully, ends them at timeoutSeconds, and expires them with 410', async () => {
    const abrupt = openWatch(`${server.url}/api/v1/services?watch=1`);
    await waitFor(() => server.watchCount() === 1);
    expect(server.cutWatches()).toBe(1);
    expect(await abrupt.ended).toBe('error');

    const graceful = openWatch(`${server.url}/api/v1/services?watch=1`);
    await waitFor(() => server.watchCount() === 1);
    server.cutWatches({ graceful: true });
    expect(await graceful.ended).toBe('end');

    const timed = openWatch(`${server.url}/api/v1/services?watch=1&timeoutSeconds=0.2`);
    expect(await timed.ended).toBe('end');

    const expiring = openWatch(`${server.url}/api/v1/services?watch=1`);
    await waitFor(() => server.watchCount() === 1);
    server.expireWatches();
    expect(await expiring.ended).toBe('end');
    expect(expiring.events).toEqual([expect.objectContaining({ type: 'ERROR', object: expect.objectContaining({ code: 410 }) })]);
    expect(server.watchCount()).toBe(0);
  });

  it('requires the bearer token when one is set, and records every request', async () => {
    const secured = await KubeTestServer.start({ token: 's3cret' });
    try {
      expect((await fetch(`${secured.url}/api/v1/services`)).status).toBe(401);
      expect((await fetch(`${secured.url}/api/v1/services`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect(secured.requests.map((r) => r.status)).toEqual([401, 200]);
      expect(JSON.parse(secured.kubeconfig())).toMatchObject({ users: [{ user: { token: 's3cret' } }], clusters: [{ cluster: { server: secured.url, 'insecure-skip-tls-verify': true } }] });
    } finally {
      await secured.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
