import { createServer, type Server } from 'node:net';
import type { AddressInfo, LookupFunction } from 'node:net';
import { checkInputSchema, compileCheck, createDefaultProbers, DEFAULT_CHECK_TIMING, HttpProber, ProberRegistry, TcpProber, type CheckInput, type ProbeResult } from '../src';
import { makeTestPki, type TestPki } from '@meridian/testing';
import { startGrpcServer, startHttpServer, type TestGrpcServer, type TestHttpServer } from './servers';

const probers = createDefaultProbers();

async function probe(input: CheckInput, endpoint: { host: string; port: number }, registry: ProberRegistry = probers, gslbHost = 'app.gslb.example.com'): Promise<ProbeResult> {
  const check = compileCheck(checkInputSchema.parse({ timeoutSeconds: 0.5, ...input }), DEFAULT_CHECK_TIMING);
  const session = registry.open(check, { ...endpoint, gslbHost });
  try {
    return await session.probe();
  } finally {
    session.close();
  }
}

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const failingLookup: LookupFunction = (hostname, _options, callback) => {
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  (callback as (err: Error) => void)(err);
};

afterAll(() => probers.close());

describe('HTTP checks against a real server', () => {
  let server: TestHttpServer;
  beforeAll(async () => (server = await startHttpServer()));
  afterAll(async () => server.close());
  beforeEach(() => Object.assign(server.behaviour, { status: 200, body: 'ok', hang: false, alternate: false, failNext: 0 }));
  const at = () => ({ host: '127.0.0.1', port: server.port });

  it('passes on an expected status and sends method, path, headers, and the GSLB host as Host', async () => {
    const result = await probe({ type: 'http', port: server.port, method: 'HEAD', path: '/healthz?x=1', headers: { 'X-Probe': 'meridian' } }, at());
    expect(result).toMatchObject({ passed: true, message: 'HTTP 200' });
    const req = server.requests[server.requests.length - 1];
    expect([req?.method, req?.url, req?.headers.host, req?.headers['x-probe']]).toEqual(['HEAD', '/healthz?x=1', 'app.gslb.example.com', 'meridian']);
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it.each([
    [503, ['200-399'], false],
    [301, ['200-399'], true],
    [404, [200, '404'], true],
    [204, ['200-203', '205-299'], false],
  ])('status %i against %j passes: %s', async (status, expectStatus, passed) => {
    server.behaviour.status = status;
    const result = await probe({ type: 'http', port: server.port, expectStatus }, at());
    expect(result.passed).toBe(passed);
    if (!passed) expect(result).toMatchObject({ reason: 'status', message: expect.stringContaining(`HTTP ${status}, expected`) });
  });

  it('matches a body substring', async () => {
    server.behaviour.body = '{"status":"UP","db":"ok"}';
    expect((await probe({ type: 'http', port: server.port, bodyContains: '"status":"UP"' }, at())).passed).toBe(true);
    server.behaviour.body = '{"status":"DOWN"}';
    const result = await probe({ type: 'http', port: server.port, bodyContains: '"status":"UP"' }, at());
    expect(result).toMatchObject({ passed: false, reason: 'body', message: 'HTTP 200, but the body (17 bytes read) does not contain "\\"status\\":\\"UP\\""' });
  });

  it('fails with a timeout when the server does not answer in time', async () => {
    server.behaviour.hang = true;
    const started = Date.now();
    const result = await probe({ type: 'http', port: server.port, timeoutSeconds: 0.2 }, at());
    expect(result).toMatchObject({ passed: false, reason: 'timeout', message: `no answer from 127.0.0.1:${server.port} within 200 ms` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails with the reason when it cannot run: refused, DNS failure', async () => {
    const port = await closedPort();
    expect(await probe({ type: 'http', port }, { host: '127.0.0.1', port })).toMatchObject({ passed: false, reason: 'refused', message: `connection to 127.0.0.1:${port} refused` });
    const noDns = new ProberRegistry([new HttpProber(failingLookup)]);
    expect(await probe({ type: 'http', port: 80 }, { host: 'nowhere.invalid', port: 80 }, noDns)).toMatchObject({ passed: false, reason: 'dns', message: 'DNS lookup of nowhere.invalid failed (ENOTFOUND)' });
  });

  it('reuses one connection with keepAlive', async () => {
    const check = compileCheck(checkInputSchema.parse({ type: 'http', port: server.port, keepAlive: true }), DEFAULT_CHECK_TIMING);
    const session = probers.open(check, { host: '127.0.0.1', port: server.port, gslbHost: 'a.example.com' });
    const before = server.requests.length;
    for (let i = 0; i < 3; i++) expect((await session.probe()).passed).toBe(true);
    const sockets = new Set(server.requests.slice(before).map((r) => r.socket));
    session.close();
    expect(sockets.size).toBe(1);
  });
});

describe('HTTP checks over IPv6 loopback', () => {
  it('probes an IPv6 target address', async () => {
    let server: TestHttpServer;
    try {
      server = await startHttpServer(undefined, '::1');
    } catch {
      return; // no IPv6 loopback on this machine
    }
    try {
      expect(await probe({ type: 'http', port: server.port }, { host: '::1', port: server.port })).toMatchObject({ passed: true });
    } finally {
      await server.close();
    }
  });
});

describe('HTTPS checks with a CA made by openssl in the test', () => {
  let pki: TestPki;
  let server: TestHttpServer;
  beforeAll(async () => {
    pki = makeTestPki();
    server = await startHttpServer(pki.server);
  });
  afterAll(async () => server.close());
  const at = () => ({ host: '127.0.0.1', port: server.port });

  it('passes when the certificate verifies against the CA and the server name', async () => {
    expect(await probe({ type: 'https', port: server.port, caFile: pki.ca, sni: 'localhost' }, at())).toMatchObject({ passed: true, message: 'HTTP 200' });
    expect(await probe({ url: `https://localhost:${server.port}/`, caFile: pki.ca }, at())).toMatchObject({ passed: true });
  });

  it.each<[string, { sni?: string; caFile?: 'CA' | 'OTHER' }]>([
    ['an unknown CA', { sni: 'localhost' }],
    ['another CA', { sni: 'localhost', caFile: 'OTHER' }],
    ['a name the certificate does not carry (the GSLB host by default)', { caFile: 'CA' }],
  ])('fails on TLS with %s', async (_name, extra) => {
    const caFile = extra.caFile === 'CA' ? pki.ca : extra.caFile === 'OTHER' ? pki.otherCa : undefined;
    const result = await probe({ type: 'https', port: server.port, ...(extra.sni ? { sni: extra.sni } : {}), ...(caFile ? { caFile } : {}) }, at());
    expect(result).toMatchObject({ passed: false, reason: 'tls' });
  });

  it('passes with insecureSkipVerify, and reports an unreadable caFile', async () => {
    expect(await probe({ type: 'https', port: server.port, insecureSkipVerify: true }, at())).toMatchObject({ passed: true });
    expect(await probe({ type: 'https', port: server.port, caFile: '/nonexistent/ca.pem' }, at())).toMatchObject({ passed: false, reason: 'tls', message: expect.stringContaining('cannot read caFile') });
  });
});

describe('TCP checks', () => {
  it('passes when a connection is accepted and fails with the reason otherwise', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await probe({ type: 'tcp', port }, { host: '127.0.0.1', port })).toMatchObject({ passed: true, message: 'TCP connection accepted' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await probe({ type: 'tcp', port }, { host: '127.0.0.1', port })).toMatchObject({ passed: false, reason: 'refused' });
    const noDns = new ProberRegistry([new TcpProber(failingLookup)]);
    expect(await probe({ type: 'tcp', port: 443 }, { host: 'gone.invalid', port: 443 }, noDns)).toMatchObject({ passed: false, reason: 'dns' });
  });
});

describe('gRPC health checks', () => {
  let server: TestGrpcServer;
  beforeAll(async () => (server = await startGrpcServer()));
  afterAll(async () => server.close());
  const at = () => ({ host: '127.0.0.1', port: server.port });

  it('passes on SERVING, for the server and for a named service', async () => {
    server.setStatus('shop', 'SERVING');
    expect(await probe({ type: 'grpc', port: server.port }, at())).toMatchObject({ passed: true, message: 'the server is SERVING' });
    expect(await probe({ type: 'grpc', port: server.port, service: 'shop' }, at())).toMatchObject({ passed: true, message: 'service "shop" is SERVING' });
  });

  it('fails on NOT_SERVING and on an unknown service', async () => {
    server.setStatus('shop', 'NOT_SERVING');
    expect(await probe({ type: 'grpc', port: server.port, service: 'shop' }, at())).toMatchObject({ passed: false, reason: 'not_serving', message: 'service "shop" is NOT_SERVING' });
    expect(await probe({ type: 'grpc', port: server.port, service: 'nope' }, at())).toMatchObject({ passed: false, reason: 'not_serving', message: expect.stringContaining('NOT_FOUND') });
  });

  it('fails when the server is gone, and times out when it does not answer', async () => {
    const port = await closedPort();
    expect(await probe({ type: 'grpc', port }, { host: '127.0.0.1', port })).toMatchObject({ passed: false, message: expect.stringContaining('UNAVAILABLE') });
    const silent = await startGrpcServer({ hang: true });
    try {
      expect(await probe({ type: 'grpc', port: silent.port, timeoutSeconds: 0.2 }, { host: '127.0.0.1', port: silent.port })).toMatchObject({ passed: false, reason: 'timeout' });
    } finally {
      await silent.close();
    }
  });
});
