import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeGenericClientConstructor, type Client, type ServiceError, type ServerUnaryCall, type sendUnaryData, type ChannelCredentials } from '@grpc/grpc-js';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { GrpcServer } from '../src/grpc-server';
import { channelCredentials, loadTls, type ClientTls } from '../src/tls-credentials';
import { itemsService } from './json-service';
import { makeTestPki } from '@meridian/testing';

const pki = makeTestPki();

type SlowClient = Client & { slow(req: { ms: number }, cb: (err: ServiceError | null) => void): void };
const Ctor = makeGenericClientConstructor(itemsService, 'ItemsService') as unknown as new (
  address: string,
  creds: ChannelCredentials,
  options?: object,
) => SlowClient;

describe('loadTls', () => {
  it('loads a server certificate with its CA', () => {
    const tls = loadTls({ certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true }, 'grpc.tls');
    expect(tls.requireClientCert).toBe(true);
    expect(tls.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a missing certificate', { certFile: join(pki.dir, 'nope.crt'), keyFile: pki.server.key }, /grpc\.tls\.certFile: .*nope\.crt does not exist/],
    ['a key that is not PEM', { certFile: pki.server.cert, keyFile: pki.server.cert }, /grpc\.tls\.keyFile: .* is not a PEM private key/],
    ['a key of another certificate', { certFile: pki.server.cert, keyFile: pki.client.key }, /grpc\.tls\.keyFile: .* does not match the certificate/],
    ['a certificate from another CA', { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.otherCa }, /grpc\.tls\.caFile: .* is not signed by the CA/],
    ['a CA file that is not a certificate', { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.server.key }, /grpc\.tls\.caFile: .* is not a PEM certificate/],
  ])('rejects %s, naming the field', (_name, files, message) => {
    expect(() => loadTls({ requireClientCert: false, ...files }, 'grpc.tls')).toThrow(message);
  });

  it('rejects an expired certificate', () => {
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    expect(() => loadTls({ certFile: pki.server.cert, keyFile: pki.server.key, requireClientCert: false }, 'peers.tls', later)).toThrow(
      /peers\.tls\.certFile: .* expired on .*renew it/,
    );
  });

  it('names an unreadable file by its path', () => {
    const copy = join(pki.dir, 'copy.crt');
    copyFileSync(pki.server.cert, copy);
    expect(() => loadTls({ certFile: copy, keyFile: join(pki.dir, 'missing.key'), requireClientCert: false }, 'grpc.tls')).toThrow(
      /grpc\.tls\.keyFile: .*missing\.key does not exist/,
    );
  });
});

describe('mutual TLS', () => {
  it('accepts a client certificate from the CA and refuses one from another CA', async () => {
    const server = GrpcServer.create({
      host: '127.0.0.1',
      port: 0,
      tls: loadTls({ certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true }, 'grpc.tls'),
      logger: nullLogger,
      registry: createMetricsRegistry({ runtimeMetrics: false }),
      descriptorSet: Buffer.alloc(0),
      services: [
        { definition: itemsService, implementation: { Slow: (_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => cb(null, {}) } },
      ],
    });
    const port = await server.start();
    const call = (tls: ClientTls) => {
      const client = new Ctor(`localhost:${port}`, channelCredentials(tls));
      return new Promise<string>((resolve) =>
        client.slow({ ms: 0 }, (err) => {
          client.close();
          resolve(err ? 'refused' : 'ok');
        }),
      );
    };
    const pem = (path: string) => readFileSync(path);
    try {
      expect(await call({ ca: pem(pki.ca), cert: pem(pki.client.cert), key: pem(pki.client.key) })).toBe('ok');
      expect(await call({ ca: pem(pki.ca), cert: pem(pki.strangerClient.cert), key: pem(pki.strangerClient.key) })).toBe('refused');
      expect(await call({ ca: pem(pki.ca) })).toBe('refused');
    } finally {
      await server.drain(0);
    }
  });
});
