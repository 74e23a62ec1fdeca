import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import { credentials, Server, ServerCredentials } from '@grpc/grpc-js';
import { Backoff, watchHandler } from '@meridian/grpc-kit';
import type { LogFields, Logger } from '@meridian/logging';
import { RecordsServiceService, ZoneSnapshot, type ZoneDelta } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { header, host, ORIGIN, plan, v4, v6 } from '../test/support/zone';
import { RecordsSubscription } from './records-subscription';
import { ZoneFeed } from './zone-feed';

// A zone far above gRPC's 4 MiB default message size (ADR 0009): 40,000 hosts with IPv4 and
// IPv6 answers in three variants each, about as large per host as records' own.
const HOSTS = 40_000;
const names = Array.from({ length: HOSTS }, (_, i) => `host-${i}`);
const snapshot: ZoneSnapshot = {
  zones: [
    {
      header: header(),
      recordSets: names.map((name, i) =>
        host(
          name,
          plan([[v4(`10.1.${i >> 8 & 255}.${i & 255}`), v4(`10.2.${i >> 8 & 255}.${i & 255}`)], [v4(`10.2.${i >> 8 & 255}.${i & 255}`)], [v4(`10.3.${i >> 8 & 255}.${i & 255}`)]], {
            $case: 'geo',
            geo: { variantByRegion: { eu: 0, us: 1 }, defaultVariant: 2 },
          }),
          plan([[v6(`2001:db8:1::${i.toString(16)}`)]]),
        ),
      ),
    },
  ],
};
const SNAPSHOT_BYTES = ZoneSnapshot.encode(snapshot).finish().length;

function capturingLogger(records: { msg: string; fields: LogFields }[]): Logger {
  const write = (msg: string, fields: LogFields = {}) => records.push({ msg, fields });
  const logger: Logger = { debug: write, info: write, warn: write, error: write, child: () => logger, isLevelEnabled: () => true };
  return logger;
}

/**
 * A TCP proxy in front of the records server that cuts its first connection after passing
 * `cutAfter` bytes towards the client (in the middle of the snapshot), then lets later
 * connections through untouched.
 */
async function cuttingProxy(target: number, cutAfter: number): Promise<{ port: number; cut: () => boolean; close: () => Promise<void> }> {
  let connections = 0;
  let cut = false;
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((client) => {
    const first = connections++ === 0;
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (d) => upstream.write(d));
    let passed = 0;
    upstream.on('data', (d: Buffer) => {
      if (first && passed + d.length >= cutAfter) {
        client.write(d.subarray(0, cutAfter - passed));
        cut = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      passed += d.length;
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => cut,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

jest.setTimeout(90_000);

let server: Server;
let port: number;
const shutdown = new AbortController();
const removed = new Set<string>();
const stream = new VersionedStream<ZoneSnapshot, ZoneDelta>({
  epoch: 'big',
  initialVersion: 100,
  snapshot: () => ({ zones: snapshot.zones.map((z) => ({ ...z, recordSets: z.recordSets.filter((s) => !removed.has(s.name)) })) }),
});
/** Removes a host from the served state and publishes the delta. */
function removeHost(name: string): number {
  removed.add(`${name}.${ORIGIN}`);
  return stream.publish({ changes: [{ origin: ORIGIN, change: { $case: 'removedName', removedName: `${name}.${ORIGIN}` } }] });
}

beforeAll(async () => {
  // Servers send without a limit by default (grpc-js); only receivers need one.
  server = new Server();
  server.addService(RecordsServiceService, {
    watchZone: watchHandler(stream, { heartbeatMs: 200, shutdownSignal: shutdown.signal, logger: capturingLogger([]) }),
    explain: () => undefined,
  });
  port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
});

afterAll(() => {
  shutdown.abort();
  server.forceShutdown();
});

/** A subscription whose feed records the size of every snapshot it applied. */
function subscribe(endpoint: string, logs: { msg: string; fields: LogFields }[], maxMessageBytes?: number) {
  const feed = new ZoneFeed();
  const applied: { kind: string; names: number; version: number }[] = [];
  feed.onChange((state, version, event) => applied.push({ kind: event.kind, names: state.zones.get(ORIGIN)?.recordSets.size ?? 0, version }));
  const subscription = new RecordsSubscription({
    endpoints: [endpoint],
    credentials: credentials.createInsecure(),
    clientId: 'large-snapshot-test',
    feed,
    logger: capturingLogger(logs),
    heartbeatTimeoutMs: 5_000,
    backoff: new Backoff({ initialMs: 20, maxMs: 100 }),
    ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
  });
  subscription.start();
  return { feed, applied, subscription };
}

it('builds a snapshot larger than gRPC\'s 4 MiB default (the premise of these tests)', () => {
  expect(SNAPSHOT_BYTES).toBeGreaterThan(4 * 1024 * 1024);
});

it('receives a snapshot larger than 4 MiB intact, then deltas', async () => {
  const logs: { msg: string; fields: LogFields }[] = [];
  const { feed, applied, subscription } = subscribe(`127.0.0.1:${port}`, logs);
  try {
    await until(() => feed.sourceState === 'synced', 'the snapshot');
    const sets = feed.state.zones.get(ORIGIN)?.recordSets;
    expect(sets?.size).toBe(HOSTS);
    expect(sets?.get(`host-${HOSTS - 1}.${ORIGIN}`)).toEqual(snapshot.zones[0]?.recordSets[HOSTS - 1]);
    const version = removeHost('host-7');
    await until(() => feed.version === version, 'the delta');
    expect(feed.state.zones.get(ORIGIN)?.recordSets.has(`host-7.${ORIGIN}`)).toBe(false);
    expect(applied.map((a) => a.kind)).toEqual(['snapshot', 'delta']);
  } finally {
    subscription.stop();
  }
});

it('says which setting to raise when a snapshot is over the configured limit, and applies nothing', async () => {
  const logs: { msg: string; fields: LogFields }[] = [];
  const { feed, subscription } = subscribe(`127.0.0.1:${port}`, logs, 4 * 1024 * 1024);
  try {
    await until(() => logs.some((l) => l.msg.includes('records.maxMessageBytes')), 'the error');
    expect(feed.hasData).toBe(false);
  } finally {
    subscription.stop();
  }
});

it('resumes with a whole snapshot after the connection is cut in the middle of one', async () => {
  const proxy = await cuttingProxy(port, Math.floor(SNAPSHOT_BYTES / 2));
  const logs: { msg: string; fields: LogFields }[] = [];
  const { feed, applied, subscription } = subscribe(`127.0.0.1:${proxy.port}`, logs);
  try {
    await until(() => feed.sourceState === 'synced', 'the snapshot after the cut');
    expect(proxy.cut()).toBe(true);
    expect(logs.some((l) => l.fields['state'] === 'disconnected')).toBe(true);
    // Half a snapshot was never applied: the only snapshot applied is whole.
    expect(applied.filter((a) => a.kind === 'snapshot')).toEqual([{ kind: 'snapshot', names: feed.state.zones.get(ORIGIN)?.recordSets.size, version: stream.version }]);
    expect(feed.state.zones.get(ORIGIN)?.recordSets.size).toBe(HOSTS - 1); // host-7 went in the previous test's delta
    const version = removeHost('host-8');
    await until(() => feed.version === version, 'a delta after the resume');
    expect(feed.state.zones.get(ORIGIN)?.recordSets.has(`host-8.${ORIGIN}`)).toBe(false);
  } finally {
    subscription.stop();
    await proxy.close();
  }
});
