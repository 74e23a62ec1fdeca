import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { makeTestPki } from './test-pki';
import { startTcpProxy } from './tcp-proxy';

describe('makeTestPki', () => {
  const pki = makeTestPki();
  const cert = (path: string) => new X509Certificate(readFileSync(path));
  const ca = cert(pki.ca);

  it('makes region certificates of the fleet CA, for the region, localhost and 127.0.0.1', () => {
    const eu = cert(pki.region('eu').cert);
    expect(eu.checkIssued(ca) && eu.verify(ca.publicKey)).toBe(true);
    expect(eu.subjectAltName).toBe('DNS:eu.peers.meridian, DNS:localhost, IP Address:127.0.0.1');
  });

  it('makes strangers of another CA, and certificates that expired in 2020', () => {
    expect(cert(pki.stranger('eu').cert).verify(ca.publicKey)).toBe(false);
    const expired = cert(pki.expired('eu').cert);
    expect(new Date(expired.validTo).getUTCFullYear()).toBe(2020);
    expect(expired.verify(ca.publicKey)).toBe(true);
  });
});

describe('startTcpProxy', () => {
  let echo: Server;
  let port: number;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    port = (echo.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  const roundTrip = (proxyPort: number, timeoutMs = 300) =>
    new Promise<string>((resolve) => {
      const socket = connect(proxyPort, '127.0.0.1', () => socket.write('ping'));
      const timer = setTimeout(() => {
        socket.destroy();
        resolve('silence');
      }, timeoutMs);
      socket.on('data', (data) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.toString());
      });
      socket.on('error', () => resolve('error'));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve('closed');
      });
    });

  it('forwards, resets, blackholes and restores', async () => {
    const proxy = await startTcpProxy('127.0.0.1', port);
    try {
      expect(await roundTrip(proxy.port)).toBe('ping');
      proxy.cut('reset');
      expect(await roundTrip(proxy.port)).toBe('closed');
      proxy.cut('blackhole');
      expect(await roundTrip(proxy.port)).toBe('silence');
      proxy.restore();
      expect(await roundTrip(proxy.port)).toBe('ping');
    } finally {
      await proxy.stop();
    }
  });
});
