import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A response of the Kubernetes API: the HTTP status and the parsed JSON body. */
export interface KubeResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** The few calls records makes to the Kubernetes API (Leases, Gslb status, DNSEndpoints). */
export interface KubeClient {
  readonly server: string;
  get<T = KubeObject>(path: string): Promise<KubeResponse<T>>;
  create<T = KubeObject>(path: string, body: unknown): Promise<KubeResponse<T>>;
  replace<T = KubeObject>(path: string, body: unknown): Promise<KubeResponse<T>>;
  mergePatch<T = KubeObject>(path: string, body: unknown): Promise<KubeResponse<T>>;
}

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A call that failed before the server answered (connection refused, TLS, timeout). */
export class KubeRequestError extends Error {
  override readonly name = 'KubeRequestError';
}

/** Where the API server is and how to authenticate to it. */
export interface KubeConnection {
  /** `https://10.0.0.1:6443` or, in tests, `http://127.0.0.1:PORT`. */
  readonly server: string;
  /** Adds credentials and TLS settings to a request (refreshed per call: tokens expire). */
  applyAuth(options: RequestOptions & { headers: Record<string, string> }): Promise<void>;
}

/**
 * A KubeClient over node:http(s). Credentials come from the connection (client-node's
 * KubeConfig in production); the transport is Node's own, so it also runs under jest.
 */
export function httpKubeClient(connection: KubeConnection, timeoutMs = 10_000): KubeClient {
  const base = new URL(connection.server);
  const call = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> => {
    const url = new URL(path.replace(/^\/+/, '/'), base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const options: RequestOptions & { headers: Record<string, string> } = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${base.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`,
      headers: { Accept: 'application/json', ...(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) } : {}) },
      timeout: timeoutMs,
    };
    await connection.applyAuth(options);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
        res.on('error', (err) => reject(new KubeRequestError(`${method} ${path}: ${err.message}`, { cause: err })));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => reject(new KubeRequestError(`${method} ${path}: ${err.message}`, { cause: err })));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
  return {
    server: connection.server,
    get: (path) => call('GET', path),
    create: (path, body) => call('POST', path, body),
    replace: (path, body) => call('PUT', path, body),
    mergePatch: (path, body) => call('PATCH', path, body, 'application/merge-patch+json'),
  };
}

/** A connection without credentials (a test API server on loopback). */
export function plainConnection(server: string): KubeConnection {
  return { server, applyAuth: async () => undefined };
}
