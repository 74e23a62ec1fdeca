import { createConnection } from 'node:net';
import { readFileSync } from 'node:fs';
import {
  credentials,
  loadPackageDefinition,
  makeGenericClientConstructor,
  status as GrpcStatus,
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
  type ServiceError,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { GrpcReflection } from 'grpc-js-reflection-client';
import { makeTestPki } from '@meridian/testing';
import { nullLogger, type Logger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { GrpcServer } from '../src/grpc-server';
import { LIVENESS_SERVICE_NAME } from '../src/health-service';
import { loadTls } from '../src/tls-credentials';
import { itemsService } from './json-service';

const pki = makeTestPki();

interface HealthClient extends Client {
  check(req: { service: string }, options: object, cb: (err: ServiceError | null, res?: { status: string }) => void): void;
  watch(req: { service: string }): ClientReadableStream<{ status: string }>;
}
type HealthCtor = new (address: string, creds: ChannelCredentials) => HealthClient;
const Health = (loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as { grpc: { health: { v1: { Health: HealthCtor } } } }).grpc.health.v1.Health;

type ItemsClient = Client & { slow(req: { ms: number }, options: object, cb: (err: ServiceError | null) => void): void };
const ItemsCtor = makeGenericClientConstructor(itemsService, 'ItemsService') as unknown as new (address: string, creds: ChannelCredentials) => ItemsClient;

/** Health/Check in plaintext: "SERVING", "NOT_SERVING", or "error <code>". */
async function check(address: string, service = '', creds = credentials.createInsecure()): Promise<string> {
  const client = new Health(address, creds);
  try {
    return await new Promise<string>((resolve) =>
      client.check({ service }, { deadline: Date.now() + 5000 }, (err, res) => resolve(err ? `error ${err.code}` : String(res?.status))),
    );
  } finally {
    client.close();
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function recordingLogger(records: Array<{ msg: string; fields: Record<string, unknown> | undefined }>): Logger {
  const logger: Logger = {
    ...nullLogger,
    info: (msg: string, fields?: Record<string, unknown>) => void records.push({ msg, fields }),
    child: () => logger,
  };
  return logger;
}

function mtlsServer(healthPort: number | undefined, logger: Logger = nullLogger) {
  return GrpcServer.create({
    host: '127.0.0.1',
    port: 0,
    ...(healthPort !== undefined ? { healthPort } : {}),
    tls: loadTls({ certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true }, 'grpc.tls'),
    logger,
    registry: createMetricsRegistry({ runtimeMetrics: false }),
    descriptorSet: Buffer.alloc(0),
    services: [{ definition: itemsService, implementation: { Slow: (_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => cb(null, {}) } }],
  });
}

describe('GrpcServer health listener (grpc.healthPort)', () => {
  it('answers plaintext health Checks while the gRPC port requires mTLS, with liveness apart from readiness', async () => {
    const records: Array<{ msg: string; fields: Record<string, unknown> | undefined }> = [];
    const server = mtlsServer(0, recordingLogger(records));
    const port = await server.start();
    const healthAddress = `127.0.0.1:${server.healthPort}`;
    try {
      expect(server.healthPort).toBeGreaterThan(0);
      expect(server.healthPort).not.toBe(port);
      expect(records).toContainEqual({ msg: 'grpc health listener', fields: expect.objectContaining({ address: healthAddress, tls: 'off' }) });
      // Plaintext is refused on the main port: that is why the second listener exists.
      expect(await check(`127.0.0.1:${port}`)).toBe(`error ${GrpcStatus.UNAVAILABLE}`);

      expect(await check(healthAddress)).toBe('NOT_SERVING');
      expect(await check(healthAddress, 'test.v1.ItemsService')).toBe('NOT_SERVING');
      expect(await check(healthAddress, LIVENESS_SERVICE_NAME)).toBe('SERVING');
      expect(await check(healthAddress, 'no.such.Service')).toBe(`error ${GrpcStatus.NOT_FOUND}`);

      server.health.setAll('SERVING');
      expect(await check(healthAddress)).toBe('SERVING');
      expect(await check(healthAddress, 'test.v1.ItemsService')).toBe('SERVING');
      // The same statuses over mTLS on the main port.
      const mtls = credentials.createSsl(readFileSync(pki.ca), readFileSync(pki.client.key), readFileSync(pki.client.cert));
      expect(await check(`localhost:${port}`, '', mtls)).toBe('SERVING');

      server.health.setAll('NOT_SERVING');
      expect(await check(healthAddress)).toBe('NOT_SERVING');
      expect(await check(healthAddress, LIVENESS_SERVICE_NAME)).toBe('SERVING');
    } finally {
      await server.drain(5000);
    }
  });

  it('serves nothing but health on the health port', async () => {
    const server = mtlsServer(0);
    await server.start();
    const healthAddress = `127.0.0.1:${server.healthPort}`;
    try {
      const items = new ItemsCtor(healthAddress, credentials.createInsecure());
      const code = await new Promise<number>((resolve) => items.slow({ ms: 0 }, { deadline: Date.now() + 5000 }, (err) => resolve(err ? err.code : GrpcStatus.OK)));
      items.close();
      expect(code).toBe(GrpcStatus.UNIMPLEMENTED);
      const reflection = new GrpcReflection(healthAddress, credentials.createInsecure());
      await expect(reflection.listServices()).rejects.toThrow(/UNIMPLEMENTED|12/);
    } finally {
      await server.drain(5000);
    }
  });

  it('reports NOT_SERVING on the health port once the drain starts, then closes it after the main server', async () => {
    const server = mtlsServer(0);
    const port = await server.start();
    const healthPort = server.healthPort as number;
    server.health.setAll('SERVING');
    const watcher = new Health(`127.0.0.1:${healthPort}`, credentials.createInsecure());
    const seen: string[] = [];
    const stream = watcher.watch({ service: '' });
    stream.on('data', (m: { status: string }) => seen.push(m.status));
    stream.on('error', () => undefined);
    const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()).on('error', () => resolve()));
    const deadline = Date.now() + 5000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['SERVING']);

    const report = await server.drain(5000);
    await ended;
    watcher.close();
    expect(report.graceful).toBe(true);
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(healthPort)).toBe(false);
    expect(server.health.get(LIVENESS_SERVICE_NAME)).toBe('NOT_SERVING');
  });

  it('opens no second listener without healthPort', async () => {
    const server = mtlsServer(undefined);
    await server.start();
    try {
      expect(server.healthPort).toBeUndefined();
      expect(server.health.get(LIVENESS_SERVICE_NAME)).toBe('SERVING');
    } finally {
      await server.drain(5000);
    }
  });
});
