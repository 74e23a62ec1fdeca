import { request } from 'node:http';
import { collectionPath, type KubeObjectJson, type ResourceKind } from '@meridian/gslb-resources';
import { KubeApiError, type KubeApi, type ListPage, type WatchEvent, type WatchHandle, type WatchOptions } from '../src';

/**
 * A KubeApi over plain node:http, for jest (which cannot load the ESM-only client-node). It is a
 * hand-written implementation of our own port; the process tests of apps/prober cover the real
 * client-node adapter against the same test server.
 */
export function httpKubeApi(server: string): KubeApi {
  return {
    server,
    async list(kind: ResourceKind, opts: { namespace?: string; limit: number; continueToken?: string }): Promise<ListPage> {
      const url = new URL(collectionPath(kind, opts.namespace), server);
      url.searchParams.set('limit', String(opts.limit));
      if (opts.continueToken) url.searchParams.set('continue', opts.continueToken);
      const res = await fetch(url);
      const body = (await res.json()) as { items?: KubeObjectJson[]; metadata?: { resourceVersion?: string; continue?: string }; message?: string };
      if (res.status === 404 && kind.group !== '') throw new KubeApiError(`${kind.kind} not served`, 404, true);
      if (res.status !== 200) throw new KubeApiError(body.message ?? `HTTP ${res.status}`, res.status);
      return { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? '', ...(body.metadata?.continue ? { continueToken: body.metadata.continue } : {}) };
    },
    async watch(kind: ResourceKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void, onDone: (err?: KubeApiError) => void): Promise<WatchHandle> {
      const url = new URL(collectionPath(kind, opts.namespace), server);
      url.searchParams.set('watch', 'true');
      url.searchParams.set('allowWatchBookmarks', 'true');
      url.searchParams.set('timeoutSeconds', String(opts.timeoutSeconds));
      if (opts.resourceVersion) url.searchParams.set('resourceVersion', opts.resourceVersion);
      let done = false;
      const finish = (err?: KubeApiError) => {
        if (done) return;
        done = true;
        onDone(err);
      };
      const req = request(url, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          finish(new KubeApiError(`HTTP ${res.statusCode}`, res.statusCode));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) if (line && !done) onEvent(JSON.parse(line) as WatchEvent);
        });
        res.on('end', () => finish());
        res.on('error', (err) => finish(new KubeApiError(err.message)));
        res.on('aborted', () => finish(new KubeApiError('aborted')));
      });
      req.on('error', (err) => finish(new KubeApiError(err.message)));
      req.end();
      return { abort: () => ((done = true), req.destroy()) };
    },
  };
}
