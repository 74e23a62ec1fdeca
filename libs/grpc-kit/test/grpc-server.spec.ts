import { credentials, makeGenericClientConstructor, status as GrpcStatus, type Client, type ClientReadableStream, type ServiceError, type ServerUnaryCall, type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { VersionedStream } from '@meridian/streams';
import { GrpcReflection } from 'grpc-js-reflection-client';
import { Backoff } from '../src/backoff';
import { GrpcServer } from '../src/grpc-server';
import { ResumableWatch } from '../src/resumable-watch';
import { serveWatch } from '../src/serve-watch';
import { itemsService, type ItemsWatchResponse } from './json-service';

type ItemsClient = Client & {
  watch(req: object): ClientReadableStream<ItemsWatchResponse>;
  slow(req: { ms: number }, cb: (err: ServiceError | null, res?: { ok: boolean }) => void): void;
};
const ItemsClientCtor = makeGenericClientConstructor(itemsService, 'ItemsService') as unknown as new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => ItemsClient;

interface HealthClient extends Client {
  check(req: { service: string }, cb: (err: ServiceError | null, res?: { status: string }) => void): void;
  watch(req: { service: string }): ClientReadableStream<{ status: string }>;
}
const healthPackage = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
  grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
};

function startItemsServer(items: VersionedStream<string[], string>, port = 0, heartbeatMs = 200) {
  const registry = createMetricsRegistry({ runtimeMetrics: false });
  const shutdownController = new AbortController();
  const implementation = {
    Watch: (call: ServerWritableStream<{ clientId: string; epoch: string; sinceVersion: number }, ItemsWatchResponse>) =>
      serveWatch(call, {
        stream: items,
        heartbeatMs,
        shutdownSignal: shutdownController.signal,
        logger: nullLogger,
        toMessage: (e) => ({
          epoch: e.epoch,
          version: e.version,
          event: e.kind === 'snapshot' ? { $case: 'snapshot' as const, snapshot: e.snapshot } : e.kind === 'delta' ? { $case: 'delta' as const, delta: e.delta } : { $case: 'heartbeat' as const },
        }),
      }),
    Slow: (call: ServerUnaryCall<{ ms: number; fail?: boolean }, { ok: boolean }>, cb: sendUnaryData<{ ok: boolean }>) => {
      setTimeout(() => (call.request.fail ? cb({ code: GrpcStatus.FAILED_PRECONDITION, details: 'asked to fail' }) : cb(null, { ok: true })), call.request.ms);
    },
  };
  const server = GrpcServer.create({
    shutdownController,
    host: '127.0.0.1',
    port,
    logger: nullLogger,
    registry,
    descriptorSet: Buffer.alloc(0),
    services: [{ definition: itemsService, implementation }],
  });
  return { server, registry };
}

function makeItems(epoch?: string) {
  const state: string[] = [];
  const stream = new VersionedStream<string[], string>({ snapshot: () => [...state], ...(epoch ? { epoch } : {}) });
  return { stream, add: (item: string) => (state.push(item), stream.publish(item)) };
}

const waitFor = async (predicate: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('GrpcServer', () => {
  it('serves health, reflection and metrics for its services', async () => {
    const { stream } = makeItems();
    const { server, registry } = startItemsServer(stream);
    const port = await server.start();
    const address = `127.0.0.1:${port}`;
    const health = new healthPackage.grpc.health.v1.Health(address, credentials.createInsecure());
    const items = new ItemsClientCtor(address, credentials.createInsecure());
    try {
      const check = (service: string) =>
        new Promise<string>((resolve) => health.check({ service }, (err, res) => resolve(err ? String(GrpcStatus[err.code]) : String(res?.status))));
      expect(await check('')).toBe('NOT_SERVING');
      server.health.setAll('SERVING');
      expect(await check('test.v1.ItemsService')).toBe('SERVING');
      expect(await check('nope.v1.Nothing')).toBe('NOT_FOUND');

      const reflection = new GrpcReflection(address, credentials.createInsecure());
      expect(await reflection.listServices()).toContain('grpc.health.v1.Health');

      await new Promise((resolve) => items.slow({ ms: 1 }, resolve));
      await new Promise((resolve) => items.slow({ ms: 1, fail: true } as { ms: number }, resolve));
      const text = await registry.metrics();
      expect(text).toMatch(/grpc_server_handled_total\{grpc_service="test.v1.ItemsService",grpc_method="Slow",grpc_type="unary",grpc_code="OK"\} 1/);
      expect(text).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="Slow"[^}]*grpc_code="FAILED_PRECONDITION"\} 1/);
      expect(text).toMatch(/grpc_server_handling_seconds_count\{[^}]*grpc_method="Slow"[^}]*grpc_code="OK"\} 1/);
    } finally {
      health.close();
      items.close();
      await server.drain(1000);
    }
  });

  it('drains in order: health NOT_SERVING, streams end cleanly, in-flight calls finish, then stop', async () => {
    const { stream } = makeItems();
    const { server } = startItemsServer(stream);
    const port = await server.start();
    server.health.setAll('SERVING');
    const address = `127.0.0.1:${port}`;
    const health = new healthPackage.grpc.health.v1.Health(address, credentials.createInsecure());
    const items = new ItemsClientCtor(address, credentials.createInsecure());
    const events: string[] = [];
    try {
      const healthWatch = health.watch({ service: '' });
      healthWatch.on('data', (m: { status: string }) => events.push(`health ${m.status}`));
      healthWatch.on('status', (s: { code: number }) => events.push(`health stream ${GrpcStatus[s.code]}`));
      healthWatch.on('error', () => undefined);
      const watch = items.watch({ clientId: 't', epoch: '', sinceVersion: 0 });
      watch.on('data', (m: ItemsWatchResponse) => events.push(`watch ${m.event.$case}`));
      watch.on('status', (s: { code: number }) => events.push(`watch stream ${GrpcStatus[s.code]}`));
      watch.on('error', () => undefined);
      await waitFor(() => events.includes('health SERVING') && events.includes('watch snapshot'));

      const slow = new Promise<string>((resolve) => items.slow({ ms: 400 }, (err) => resolve(err ? String(GrpcStatus[err.code]) : 'OK')));
      await waitFor(() => server.activeCalls >= 3);
      const report = await server.drain(5000);
      events.push('drained');
      expect(await slow).toBe('OK');
      expect(report.graceful).toBe(true);
      expect(report.durationMs).toBeGreaterThanOrEqual(300);
      expect(events.indexOf('health NOT_SERVING')).toBeGreaterThan(events.indexOf('health SERVING'));
      expect(events.indexOf('health NOT_SERVING')).toBeLessThan(events.indexOf('watch stream OK'));
      expect(events.indexOf('health stream OK')).toBeLessThan(events.indexOf('drained'));
      expect(events.indexOf('watch stream OK')).toBeLessThan(events.indexOf('drained'));
    } finally {
      health.close();
      items.close();
    }
  });

  it('cancels calls that outlive the grace period', async () => {
    const { stream } = makeItems();
    const { server } = startItemsServer(stream);
    const port = await server.start();
    const items = new ItemsClientCtor(`127.0.0.1:${port}`, credentials.createInsecure());
    try {
      const slow = new Promise<string>((resolve) => items.slow({ ms: 5000 }, (err) => resolve(err ? String(GrpcStatus[err.code]) : 'OK')));
      await waitFor(() => server.activeCalls === 1);
      const report = await server.drain(200);
      expect(report).toMatchObject({ graceful: false, cancelledCalls: 1 });
      expect(await slow).not.toBe('OK');
    } finally {
      items.close();
    }
  });
});

describe('ResumableWatch over serveWatch', () => {
  it('applies every change in order, resumes after the server restarts, and resyncs on a new epoch', async () => {
    const items = makeItems('epoch-1');
    let { server } = startItemsServer(items.stream);
    const port = await server.start();
    const client = new ItemsClientCtor(`127.0.0.1:${port}`, credentials.createInsecure());
    const seen: string[] = [];
    let snapshots = 0;
    const watch = new ResumableWatch<ItemsWatchResponse>({
      open: (from) => client.watch({ clientId: 'test', ...from }),
      apply: (res) => {
        if (res.event.$case === 'snapshot') {
          snapshots += 1;
          seen.splice(0, seen.length, ...res.event.snapshot);
        } else if (res.event.$case === 'delta') seen.push(res.event.delta);
      },
      heartbeatTimeoutMs: 1000,
      logger: nullLogger,
      backoff: new Backoff({ initialMs: 20, maxMs: 100, random: () => 0.5 }),
    });
    try {
      items.add('a');
      watch.start();
      await waitFor(() => watch.state === 'synced');
      items.add('b');
      items.add('c');
      await waitFor(() => seen.length === 3);
      expect(seen).toEqual(['a', 'b', 'c']);
      expect(snapshots).toBe(1);

      await server.drain(0);
      items.add('d'); // published while the client is cut off
      ({ server } = startItemsServer(items.stream, port));
      await server.start();
      await waitFor(() => seen.length === 4);
      expect(seen).toEqual(['a', 'b', 'c', 'd']);
      expect(snapshots).toBe(1); // resumed with deltas, not a new snapshot

      await server.drain(0);
      const restarted = makeItems('epoch-2');
      restarted.add('x');
      ({ server } = startItemsServer(restarted.stream, port));
      await server.start();
      await waitFor(() => watch.applied.epoch === 'epoch-2');
      expect(seen).toEqual(['x']);
      expect(snapshots).toBe(2);
    } finally {
      watch.stop();
      client.close();
      await server.drain(0);
    }
  });

  it('treats a silent stream as dead and reconnects', async () => {
    const items = makeItems('quiet');
    // Heartbeats every 5 s but the client expects one within 300 ms.
    const { server } = startItemsServer(items.stream, 0, 5000);
    const port = await server.start();
    const client = new ItemsClientCtor(`127.0.0.1:${port}`, credentials.createInsecure());
    const states: string[] = [];
    const watch = new ResumableWatch<ItemsWatchResponse>({
      open: (from) => client.watch({ clientId: 'test', ...from }),
      apply: () => undefined,
      heartbeatTimeoutMs: 300,
      logger: nullLogger,
      backoff: new Backoff({ initialMs: 20, maxMs: 50 }),
      onStateChange: (state, detail) => states.push(`${state}: ${detail}`),
    });
    try {
      watch.start();
      await waitFor(() => states.some((s) => s.includes('no message for 300 ms')));
      await waitFor(() => watch.state === 'synced');
    } finally {
      watch.stop();
      client.close();
      await server.drain(0);
    }
  });
});
