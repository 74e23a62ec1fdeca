import { credentials, makeGenericClientConstructor, status as GrpcStatus, type Client, type ServiceDefinition, type ServiceError, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { SERVER_MAX_RECEIVE_MESSAGE_BYTES } from '../src/channel-options';
import { GrpcServer } from '../src/grpc-server';
import { itemsService } from './json-service';

// Bad input at the gRPC boundary (issue #11): bytes that are not a message, a message over
// the size limit, and more concurrent calls than the limit. Each call fails on its own with
// the right code; the server keeps serving the next one.

type RawClient = Client & { slow(req: Buffer, cb: (err: ServiceError | null, res?: unknown) => void): void };
type ItemsClient = Client & { slow(req: { ms: number }, cb: (err: ServiceError | null, res?: { ok: boolean }) => void): void };

/** The same methods, but the request is sent as the raw bytes given: garbage reaches the server's deserializer. */
const rawService: ServiceDefinition = Object.fromEntries(
  Object.entries(itemsService).map(([name, method]) => [name, { ...method, requestSerialize: (bytes: Buffer) => bytes }]),
);
const RawCtor = makeGenericClientConstructor(rawService, 'ItemsService') as unknown as new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => RawClient;
const ItemsCtor = makeGenericClientConstructor(itemsService, 'ItemsService') as unknown as new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => ItemsClient;

let server: GrpcServer;
let address: string;
let inFlight = 0;
let peakInFlight = 0;
const STREAM_LIMIT = 4;

beforeAll(async () => {
  const implementation = {
    Slow: (call: ServerUnaryCall<{ ms: number }, { ok: boolean }>, cb: sendUnaryData<{ ok: boolean }>) => {
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        cb(null, { ok: true });
      }, call.request.ms);
    },
  };
  server = GrpcServer.create({
    host: '127.0.0.1',
    port: 0,
    logger: nullLogger,
    registry: createMetricsRegistry({ runtimeMetrics: false }),
    descriptorSet: Buffer.alloc(0),
    services: [{ definition: itemsService, implementation }],
    // The kit's defaults, with the stream limit lowered so the test can reach it cheaply.
    channelOptions: { 'grpc.max_concurrent_streams': STREAM_LIMIT },
  });
  address = `127.0.0.1:${await server.start()}`;
});

afterAll(async () => {
  await server.drain(1000);
});

function rawCall(bytes: Buffer, clientOptions: object = {}): Promise<ServiceError | null> {
  const client = new RawCtor(address, credentials.createInsecure(), clientOptions);
  return new Promise((resolve) =>
    client.slow(bytes, (err) => {
      client.close();
      resolve(err);
    }),
  );
}

function goodCall(ms = 1): Promise<{ ok: boolean } | undefined> {
  const client = new ItemsCtor(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.slow({ ms }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    }),
  );
}

it.each([
  ['random bytes', Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef])],
  ['a truncated message', Buffer.from('{"ms":')],
  ['a protobuf varint that never ends', Buffer.alloc(64, 0xff)],
])('rejects %s with INTERNAL and keeps serving', async (_name, bytes) => {
  const err = await rawCall(bytes);
  expect(err?.code).toBe(GrpcStatus.INTERNAL);
  expect(err?.details).toMatch(/deserializ/i);
  expect(await goodCall()).toEqual({ ok: true });
});

it('rejects a request over the 4 MiB limit with RESOURCE_EXHAUSTED and keeps serving', async () => {
  const big = Buffer.from(JSON.stringify({ ms: 1, pad: 'x'.repeat(SERVER_MAX_RECEIVE_MESSAGE_BYTES) }));
  const err = await rawCall(big, { 'grpc.max_send_message_length': -1 });
  expect(err?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  expect(await goodCall()).toEqual({ ok: true });
});

it(`runs at most ${STREAM_LIMIT} calls of one connection at once; the rest wait and then succeed`, async () => {
  peakInFlight = 0;
  const client = new ItemsCtor(address, credentials.createInsecure());
  const calls = Array.from(
    { length: 3 * STREAM_LIMIT },
    () => new Promise<boolean>((resolve) => client.slow({ ms: 150 }, (err, res) => resolve(err === null && res?.ok === true))),
  );
  const results = await Promise.all(calls);
  client.close();
  expect(results.every(Boolean)).toBe(true);
  expect(peakInFlight).toBeGreaterThan(0);
  expect(peakInFlight).toBeLessThanOrEqual(STREAM_LIMIT);
}, 20_000);
