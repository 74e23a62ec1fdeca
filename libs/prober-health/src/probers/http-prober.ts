import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { CheckSpec } from '../check-spec';
import { describeError, elapsedMs, ProbeTimeout, type ProbeEndpoint, type ProbeResult, type ProbeSession, type Prober } from './prober';

const BODY_LIMIT = 64 * 1024;

/**
 * HTTP and HTTPS checks: method, path, headers, Host and SNI (the GSLB host unless set),
 * status ranges, a body substring, a CA bundle or no verification, and a timeout for the
 * whole exchange. A new connection per probe by default, so a check proves a client can
 * connect now; `keepAlive` reuses one (retrying once when a reused socket was stale).
 */
export class HttpProber implements Prober {
  readonly types = ['http', 'https'] as const;
  private readonly httpAgent = new HttpAgent({ keepAlive: false, maxSockets: Infinity });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: false, maxSockets: Infinity });
  private readonly caFiles = new Map<string, Buffer | { error: string }>();

  /** `lookup` replaces DNS resolution of target names (tests inject failures with it). */
  constructor(private readonly lookup?: LookupFunction) {}

  open(check: CheckSpec, endpoint: ProbeEndpoint): ProbeSession {
    const secure = check.type === 'https';
    const ownAgent = check.keepAlive ? (secure ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 })) : undefined;
    const agent = ownAgent ?? (secure ? this.httpsAgent : this.httpAgent);
    return {
      probe: async () => {
        const first = await this.probe(check, endpoint, agent);
        // A kept-alive socket the server closed while idle fails at once; that says nothing about the server.
        if (!first.passed && first.reason === 'reset' && first.reused) return stripReused(await this.probe(check, endpoint, agent));
        return stripReused(first);
      },
      close: () => ownAgent?.destroy(),
    };
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private probe(check: CheckSpec, endpoint: ProbeEndpoint, agent: HttpAgent): Promise<ProbeResult & { reused?: boolean }> {
    const started = process.hrtime.bigint();
    const secure = check.type === 'https';
    const options: RequestOptions = {
      host: endpoint.host,
      port: endpoint.port,
      method: check.method,
      path: check.path,
      agent,
      ...(this.lookup ? { lookup: this.lookup } : {}),
      headers: { host: check.hostHeader ?? endpoint.gslbHost, 'user-agent': 'meridian-prober', accept: '*/*', ...check.headers },
    };
    if (secure) {
      const serverName = check.sni ?? endpoint.gslbHost;
      if (isIP(serverName) === 0) options.servername = serverName;
      options.rejectUnauthorized = !check.insecureSkipVerify;
      if (check.caFile) {
        const ca = this.ca(check.caFile);
        if (!Buffer.isBuffer(ca)) return Promise.resolve({ passed: false, reason: 'tls', message: `cannot read caFile ${check.caFile}: ${ca.error}`, latencyMs: 0 });
        options.ca = ca;
      }
    }
    return new Promise((resolve) => {
      let settled = false;
      let req: ClientRequest | undefined;
      const finish = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, reused: req?.reusedSocket ?? false });
      };
      const timer = setTimeout(() => req?.destroy(new ProbeTimeout('timeout')), check.timeoutMs);
      const fail = (err: unknown) => finish({ passed: false, latencyMs: elapsedMs(started), ...describeError(err, endpoint, check.timeoutMs) });
      try {
        req = (secure ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          const statusOk = check.expectStatus.some(([lo, hi]) => status >= lo && status <= hi);
          const expected = check.expectStatus.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(', ');
          if (!statusOk || check.bodyContains === undefined) {
            res.resume();
            res.on('error', () => undefined);
            finish(
              statusOk
                ? { passed: true, latencyMs: elapsedMs(started), message: `HTTP ${status}` }
                : { passed: false, reason: 'status', latencyMs: elapsedMs(started), message: `HTTP ${status}, expected ${expected}` },
            );
            return;
          }
          const needle = check.bodyContains;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (body.length < BODY_LIMIT) body += chunk.slice(0, BODY_LIMIT - body.length);
            if (body.includes(needle)) {
              finish({ passed: true, latencyMs: elapsedMs(started), message: `HTTP ${status}, body contains ${JSON.stringify(needle)}` });
              res.resume();
            }
          });
          res.on('end', () =>
            finish({ passed: false, reason: 'body', latencyMs: elapsedMs(started), message: `HTTP ${status}, but the body (${body.length} bytes read) does not contain ${JSON.stringify(needle)}` }),
          );
          res.on('error', fail);
        });
        req.on('error', fail);
        req.end();
      } catch (err) {
        fail(err);
      }
    });
  }

  private ca(path: string): Buffer | { error: string } {
    let ca = this.caFiles.get(path);
    if (ca === undefined) {
      try {
        ca = readFileSync(path);
      } catch (err) {
        ca = { error: (err as Error).message };
      }
      this.caFiles.set(path, ca);
    }
    return ca;
  }
}

function stripReused(result: ProbeResult & { reused?: boolean }): ProbeResult {
  const { reused: _reused, ...rest } = result;
  return rest;
}
