import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  alreadyExists,
  apiStatus,
  conflict,
  expiredContinue,
  notFound,
  tooOldResourceVersion,
  type ApiStatus,
} from './api-status';
import { kubeconfigFor } from './kubeconfig';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from './label-selector';
import { ObjectStore, type ChangeEvent, type KubeObject, type WatchEventType } from './object-store';
import { jsonPatch, mergePatch, PatchError } from './patch';
import { apiVersionOf, DEFAULT_RESOURCE_TYPES, type ResourceType } from './resource-types';

export interface KubeTestServerOptions {
  /** The kinds served; DEFAULT_RESOURCE_TYPES when not given. */
  resourceTypes?: readonly ResourceType[];
  /** Serve HTTPS with this certificate (PEM files); `ca` goes into the kubeconfig. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** How often a watch that asked for bookmarks gets one; 0 sends them only on `sendBookmarks()`. */
  bookmarkIntervalMs?: number;
  /**
   * How a watch from a compacted resourceVersion is refused: `event` (what kube-apiserver does:
   * HTTP 200 and an ERROR event with a 410 Status) or `http` (an HTTP 410 response).
   */
  goneOnWatch?: 'event' | 'http';
  initialResourceVersion?: number;
  historyLimit?: number;
}

/** A request the server saw, for tests that assert how a client behaved (resumed, re-listed). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  status: number;
}

interface WatchConnection {
  type: ResourceType;
  res: ServerResponse;
  socket: Socket;
  close: (graceful: boolean) => void;
}

interface Route {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

class HttpError extends Error {
  constructor(readonly status: ApiStatus) {
    super(status.message);
  }
}

/**
 * A Kubernetes API server for tests: real HTTP(S) on 127.0.0.1, a port of its own, and the
 * list/watch protocol clients depend on — one resourceVersion counter, watch events resumed
 * from a resourceVersion, BOOKMARKs, 410 Gone for compacted history, pagination, the status
 * subresource, merge and JSON patches, discovery, and the official object shapes. Tests
 * change objects directly (`put`, `remove`) or over HTTP, and can cut watches or compact the
 * history to force clients through their recovery paths.
 */
export class KubeTestServer {
  readonly store: ObjectStore;
  readonly requests: RecordedRequest[] = [];
  private readonly types: readonly ResourceType[];
  private readonly watches = new Set<WatchConnection>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  private constructor(private readonly options: KubeTestServerOptions) {
    this.types = options.resourceTypes ?? DEFAULT_RESOURCE_TYPES;
    this.store = new ObjectStore({
      ...(options.initialResourceVersion !== undefined ? { initialResourceVersion: options.initialResourceVersion } : {}),
      ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    });
  }

  static async start(options: KubeTestServerOptions = {}): Promise<KubeTestServer> {
    const server = new KubeTestServer(options);
    await server.listen();
    return server;
  }

  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig (JSON, which is valid YAML) whose current context points here. */
  kubeconfig(): string {
    return kubeconfigFor({
      server: this.url,
      ...(this.options.tls ? { caData: readFileSync(this.options.tls.caFile).toString('base64') } : {}),
      ...(this.options.token ? { token: this.options.token } : {}),
    });
  }

  /** Open watch connections, optionally only those of one kind. */
  watchCount(kind?: string): number {
    return [...this.watches].filter((w) => kind === undefined || w.type.kind === kind).length;
  }

  /** Creates or replaces an object, status included (what controllers and kubelets would write). */
  put(object: KubeObject): KubeObject {
    const type = this.typeOf(object);
    const existing = this.store.get(type, object.metadata.namespace, object.metadata.name);
    return existing ? this.store.replace(type, object) : this.store.create(type, object);
  }

  /** Changes part of an object in place with a merge patch (status included). */
  patch(apiVersion: string, kind: string, namespace: string | undefined, name: string, patch: unknown): KubeObject {
    const type = this.typeFor(apiVersion, kind);
    const existing = this.store.get(type, namespace, name);
    if (!existing) throw new Error(`${kind} ${namespace}/${name} does not exist`);
    return this.store.replace(type, mergePatch(existing, patch) as KubeObject);
  }

  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    return this.store.delete(this.typeFor(apiVersion, kind), namespace, name) !== undefined;
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(this.typeFor(apiVersion, kind), namespace, name);
  }

  /**
   * Closes every open watch: `graceful` ends the response (what a watch timeout looks like),
   * otherwise the socket is destroyed (what a network cut or a proxy restart looks like).
   */
  cutWatches(options: { graceful?: boolean; kind?: string } = {}): number {
    let cut = 0;
    for (const watch of [...this.watches]) {
      if (options.kind !== undefined && watch.type.kind !== options.kind) continue;
      watch.close(options.graceful ?? false);
      cut++;
    }
    return cut;
  }

  /** Compacts the history: resuming from any resourceVersion before now gets 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /**
   * Sends every open watch an ERROR event with a 410 Status and closes it, as kube-apiserver
   * does when a watch falls too far behind.
   */
  expireWatches(): void {
    for (const watch of [...this.watches]) {
      writeEvent(watch.res, 'ERROR', tooOldResourceVersion(this.store.resourceVersion, this.store.oldestResumable));
      watch.close(true);
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch that allowed bookmarks. */
  sendBookmarks(): void {
    for (const watch of this.watches) (watch as WatchConnection & { bookmark?: () => void }).bookmark?.();
  }

  async stop(): Promise<void> {
    for (const watch of [...this.watches]) watch.close(false);
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, apiStatus(500, 'InternalError', String(err)));
        else res.destroy();
      });
    };
    const tls = this.options.tls;
    this.server = tls
      ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, handler)
      : createHttpServer(handler);
    this.server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const watch = req.method === 'GET' && (query['watch'] === 'true' || query['watch'] === '1');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, watch, status: 200 };
    this.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    try {
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new HttpError(apiStatus(401, 'Unauthorized', 'Unauthorized'));
      }
      const discovery = this.discovery(url.pathname);
      if (discovery !== undefined) return sendJson(res, 200, discovery);
      const route = this.route(url.pathname);
      const body = await readBody(req);
      switch (req.method) {
        case 'GET':
          if (route.name === undefined) {
            if (watch) return this.serveWatch(req, res, route, query);
            return sendJson(res, 200, this.serveList(route, query));
          }
          return sendJson(res, 200, this.existing(route));
        case 'POST':
          return sendJson(res, 201, this.create(route, parseJson(body)));
        case 'PUT':
          return sendJson(res, 200, this.replace(route, parseJson(body)));
        case 'PATCH':
          return sendJson(res, 200, this.applyPatch(route, req.headers['content-type'] ?? '', body));
        case 'DELETE': {
          const existing = this.existing(route);
          this.store.delete(route.type, existing.metadata.namespace, existing.metadata.name);
          return sendJson(res, 200, this.served(route.type, existing));
        }
        default:
          throw new HttpError(apiStatus(405, 'MethodNotAllowed', `method ${req.method} is not supported`));
      }
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status.code, err.status);
      if (err instanceof PatchError) return sendJson(res, 422, apiStatus(422, 'Invalid', err.message));
      if (err instanceof SyntaxError) return sendJson(res, 400, apiStatus(400, 'BadRequest', `invalid JSON body: ${err.message}`));
      throw err;
    }
  }

  private discovery(path: string): unknown {
    const trimmed = path.replace(/\/+$/, '') || '/';
    if (trimmed === '/version') return { major: '1', minor: '31', gitVersion: 'v1.31.0-meridian-test', platform: 'linux/amd64' };
    if (trimmed === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (trimmed === '/apis') {
      const groups = new Map<string, Set<string>>();
      for (const t of this.types) if (t.group !== '') groups.set(t.group, (groups.get(t.group) ?? new Set()).add(t.version));
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups].map(([name, versions]) => {
          const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
          return { name, versions: list, preferredVersion: list[0] };
        }),
      };
    }
    const core = /^\/api\/([^/]+)$/.exec(trimmed);
    const grouped = /^\/apis\/([^/]+)\/([^/]+)$/.exec(trimmed);
    if (!core && !grouped) return undefined;
    const group = grouped ? (grouped[1] as string) : '';
    const version = grouped ? (grouped[2] as string) : (core?.[1] as string);
    const types = this.types.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) throw new HttpError(apiStatus(404, 'NotFound', 'the server could not find the requested resource'));
    const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: types.flatMap((t) => [
        { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs, ...(t.shortNames ? { shortNames: t.shortNames } : {}) },
        ...(t.statusSubresource ? [{ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]),
    };
  }

  private route(path: string): Route {
    const match = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (!match) throw new HttpError(apiStatus(404, 'NotFound', 'the server could not find the requested resource'));
    const group = match[2] ?? '';
    const version = (match[1] ?? match[3]) as string;
    const segments = (match[4] as string).split('/').filter(Boolean).map(decodeURIComponent);
    let namespace: string | undefined;
    let rest = segments;
    if (segments[0] === 'namespaces' && segments.length >= 3) {
      namespace = segments[1];
      rest = segments.slice(2);
    }
    const [plural, name, subresource] = rest;
    const type = this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
    if (!type) throw new HttpError(apiStatus(404, 'NotFound', 'the server could not find the requested resource'));
    if (subresource !== undefined && !(subresource === 'status' && type.statusSubresource)) {
      throw new HttpError(apiStatus(404, 'NotFound', `the server could not find the requested resource (${subresource})`));
    }
    if (namespace !== undefined && !type.namespaced) throw new HttpError(apiStatus(404, 'NotFound', `${type.plural} is not namespaced`));
    if (namespace === undefined && type.namespaced && name !== undefined) {
      throw new HttpError(apiStatus(404, 'NotFound', `${type.plural} is namespaced: use /namespaces/NAMESPACE/${type.plural}/${name}`));
    }
    return { type, namespace, name, subresource };
  }

  private serveList(route: Route, query: Record<string, string>): unknown {
    const { type } = route;
    const requested = query['resourceVersion'];
    if (requested && requested !== '0' && query['resourceVersionMatch'] === 'Exact' && Number(requested) < this.store.oldestResumable) {
      throw new HttpError(tooOldResourceVersion(Number(requested), this.store.oldestResumable));
    }
    const labels = selector(query['labelSelector']);
    const fields = fieldSelector(query['fieldSelector']);
    let items = this.store.list(type, route.namespace).filter((o) => matchesLabels(labels, o.metadata.labels) && fields(o));
    let listRv = this.store.resourceVersion;
    let next: string | undefined;
    const token = query['continue'];
    if (token) {
      const decoded = decodeContinue(token);
      if (decoded.rv < this.store.oldestResumable) throw new HttpError(expiredContinue());
      listRv = decoded.rv;
      items = items.filter((o) => objectKey(o) > decoded.after);
    }
    const limit = Number(query['limit'] ?? 0);
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      next = encodeContinue({ rv: listRv, after: objectKey(items[items.length - 1] as KubeObject) });
    }
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(listRv), ...(next ? { continue: next } : {}) },
      items: items.map((o) => this.listItem(type, o)),
    };
  }

  private serveWatch(req: IncomingMessage, res: ServerResponse, route: Route, query: Record<string, string>): void {
    const { type } = route;
    const labels = selector(query['labelSelector']);
    const fields = fieldSelector(query['fieldSelector']);
    const matches = (o: KubeObject | undefined) =>
      o !== undefined && (route.namespace === undefined || o.metadata.namespace === route.namespace) && matchesLabels(labels, o.metadata.labels) && fields(o);
    const requested = query['resourceVersion'];
    let initial: { eventType: WatchEventType; object: KubeObject }[];
    if (!requested || requested === '0') {
      initial = this.store.list(type, route.namespace).filter(matches).map((object) => ({ eventType: 'ADDED' as const, object }));
    } else {
      const since = Number(requested);
      const events = Number.isFinite(since) ? this.store.eventsSince(type, since) : undefined;
      if (!events) {
        const gone = tooOldResourceVersion(since, this.store.oldestResumable);
        if (this.options.goneOnWatch === 'http') return sendJson(res, 410, gone);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
        writeEvent(res, 'ERROR', gone);
        res.end();
        return;
      }
      initial = events.flatMap((e) => translate(e, matches));
    }

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    for (const { eventType, object } of initial) writeEvent(res, eventType, this.served(type, object));

    const unsubscribe = this.store.subscribe((event) => {
      if (event.type !== type) return;
      for (const { eventType, object } of translate(event, matches)) writeEvent(res, eventType, this.served(type, object));
    });
    const timers: NodeJS.Timeout[] = [];
    const connection: WatchConnection & { bookmark?: () => void } = {
      type,
      res,
      socket: req.socket,
      close: (graceful) => {
        cleanup();
        if (graceful) res.end();
        else req.socket.destroy();
      },
    };
    if (query['allowWatchBookmarks'] === 'true' || query['allowWatchBookmarks'] === '1') {
      connection.bookmark = () =>
        writeEvent(res, 'BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(this.store.resourceVersion) } });
      const interval = this.options.bookmarkIntervalMs ?? 1000;
      if (interval > 0) timers.push(setInterval(() => connection.bookmark?.(), interval));
    }
    const timeoutSeconds = Number(query['timeoutSeconds'] ?? 0);
    if (timeoutSeconds > 0) timers.push(setTimeout(() => connection.close(true), timeoutSeconds * 1000));
    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      this.watches.delete(connection);
    };
    this.watches.add(connection);
    res.once('close', cleanup);
  }

  private create(route: Route, body: unknown): unknown {
    const object = asObject(body, route.type);
    const namespace = route.namespace ?? object.metadata.namespace;
    if (route.type.namespaced && !namespace) throw new HttpError(apiStatus(400, 'BadRequest', 'the namespace of the object must be given'));
    if (route.namespace && object.metadata.namespace && object.metadata.namespace !== route.namespace) {
      throw new HttpError(apiStatus(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    }
    if (!object.metadata.name && typeof object.metadata['generateName'] === 'string') {
      object.metadata.name = `${object.metadata['generateName']}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    if (!object.metadata.name) throw new HttpError(apiStatus(422, 'Invalid', 'metadata.name: Required value: name or generateName is required'));
    if (namespace !== undefined) object.metadata.namespace = namespace;
    if (this.store.get(route.type, namespace, object.metadata.name)) {
      throw new HttpError(alreadyExists(route.type.plural, route.type.group, object.metadata.name));
    }
    if (route.type.statusSubresource) delete object['status'];
    return this.served(route.type, this.store.create(route.type, object));
  }

  private replace(route: Route, body: unknown): unknown {
    const existing = this.existing(route);
    const object = asObject(body, route.type);
    if (object.metadata.name && object.metadata.name !== existing.metadata.name) {
      throw new HttpError(apiStatus(400, 'BadRequest', 'the name of the object does not match the name on the URL'));
    }
    const wanted = object.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== existing.metadata.resourceVersion) {
      throw new HttpError(conflict(route.type.plural, route.type.group, existing.metadata.name));
    }
    object.metadata.name = existing.metadata.name;
    if (existing.metadata.namespace !== undefined) object.metadata.namespace = existing.metadata.namespace;
    return this.served(route.type, this.store.replace(route.type, this.merged(route, existing, object)));
  }

  private applyPatch(route: Route, contentType: string, body: string): unknown {
    const existing = this.existing(route);
    const mediaType = contentType.split(';')[0]?.trim();
    let patched: unknown;
    if (mediaType === 'application/json-patch+json') patched = jsonPatch(existing, parseJson(body));
    else if (mediaType === 'application/merge-patch+json' || mediaType === 'application/strategic-merge-patch+json' || mediaType === 'application/apply-patch+yaml') {
      patched = mergePatch(existing, parseJson(body));
    } else {
      throw new HttpError(apiStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${contentType}`));
    }
    const object = asObject(patched, route.type);
    const wanted = object.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== existing.metadata.resourceVersion) {
      throw new HttpError(conflict(route.type.plural, route.type.group, existing.metadata.name));
    }
    return this.served(route.type, this.store.replace(route.type, this.merged(route, existing, object)));
  }

  /** Applies the status-subresource rule: the main resource keeps the old status, `/status` only changes status. */
  private merged(route: Route, existing: KubeObject, incoming: KubeObject): KubeObject {
    if (!route.type.statusSubresource) return incoming;
    if (route.subresource === 'status') {
      const result: KubeObject = structuredClone(existing);
      if (incoming['status'] === undefined) delete result['status'];
      else result['status'] = incoming['status'];
      return result;
    }
    const result: KubeObject = { ...incoming };
    if (existing['status'] === undefined) delete result['status'];
    else result['status'] = existing['status'];
    return result;
  }

  private existing(route: Route): KubeObject {
    const name = route.name as string;
    const object = this.store.get(route.type, route.namespace, name);
    if (!object) throw new HttpError(notFound(route.type.kind, route.type.plural, route.type.group, name));
    return this.served(route.type, object) as KubeObject;
  }

  /** Every object leaves the server as a copy with its apiVersion and kind. */
  private served(type: ResourceType, object: KubeObject): KubeObject {
    return { ...structuredClone(object), apiVersion: apiVersionOf(type), kind: type.kind };
  }

  private listItem(type: ResourceType, object: KubeObject): KubeObject {
    const served = this.served(type, object);
    if (!type.builtIn) return served;
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = served;
    return rest as KubeObject;
  }

  private typeOf(object: KubeObject): ResourceType {
    if (!object.apiVersion || !object.kind) throw new Error('the object needs apiVersion and kind');
    return this.typeFor(object.apiVersion, object.kind);
  }

  private typeFor(apiVersion: string, kind: string): ResourceType {
    const type = this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    if (!type) throw new Error(`this server does not serve ${apiVersion} ${kind}`);
    return type;
  }
}

/** Maps a stored change to what a filtered watch sees, including objects entering or leaving a selector. */
function translate(event: ChangeEvent, matches: (o: KubeObject | undefined) => boolean): { eventType: WatchEventType; object: KubeObject }[] {
  const now = matches(event.object);
  if (event.eventType === 'ADDED') return now ? [{ eventType: 'ADDED', object: event.object }] : [];
  if (event.eventType === 'DELETED') return matches(event.previous) ? [{ eventType: 'DELETED', object: event.object }] : [];
  const before = matches(event.previous);
  if (now && before) return [{ eventType: 'MODIFIED', object: event.object }];
  if (now) return [{ eventType: 'ADDED', object: event.object }];
  if (before) return [{ eventType: 'DELETED', object: event.object }];
  return [];
}

function writeEvent(res: ServerResponse, type: string, object: unknown): void {
  if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  return JSON.parse(text);
}

function asObject(value: unknown, type: ResourceType): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(apiStatus(400, 'BadRequest', `the body must be a ${type.kind} object`));
  }
  const object = value as KubeObject;
  if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = { name: '' };
  return object;
}

function selector(text: string | undefined): LabelRequirement[] {
  if (!text) return [];
  try {
    return parseLabelSelector(text);
  } catch (err) {
    throw new HttpError(apiStatus(400, 'BadRequest', `unable to parse requirement: ${(err as Error).message}`));
  }
}

/** Supports what clients use in practice: `metadata.name=` and `metadata.namespace=` (with `==` and `!=`). */
function fieldSelector(text: string | undefined): (o: KubeObject) => boolean {
  if (!text) return () => true;
  const terms = text.split(',').map((term) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
    if (!m) throw new HttpError(apiStatus(400, 'BadRequest', `field label not supported: ${term}`));
    return { field: m[1] === 'metadata.name' ? 'name' : 'namespace', negate: m[2] === '!=', value: m[3] as string };
  });
  return (o) => terms.every((t) => (o.metadata[t.field] === t.value) !== t.negate);
}

function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function encodeContinue(token: { rv: number; after: string }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): { rv: number; after: string } {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { rv: number; after: string };
    if (typeof parsed.rv !== 'number' || typeof parsed.after !== 'string') throw new Error('bad token');
    return parsed;
  } catch {
    throw new HttpError(apiStatus(400, 'BadRequest', 'continue key is not valid'));
  }
}
