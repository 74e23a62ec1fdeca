import { credentials, Server, ServerCredentials } from '@grpc/grpc-js';
import { Backoff, watchHandler } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import { RecordsServiceService, RecordType, type ZoneDelta, type ZoneSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { ORIGIN, records, zone } from '../test/support/zone';
import { RecordsSubscription } from './records-subscription';
import { ZoneFeed } from './zone-feed';

// The subscription against a real gRPC server in process, on port 0.
let server: Server;
let port: number;
const shutdown = new AbortController();
const stream = new VersionedStream<ZoneSnapshot, ZoneDelta>({ epoch: 'e1', initialVersion: 40, snapshot: () => ({ zones: [zone()] }) });

beforeAll(async () => {
  server = new Server();
  server.addService(RecordsServiceService, {
    watchZone: watchHandler(stream, { heartbeatMs: 100, shutdownSignal: shutdown.signal, logger: nullLogger }),
    explain: () => undefined,
  });
  port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
});

afterAll(() => {
  shutdown.abort();
  server.forceShutdown();
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('moves on from a dead endpoint to the next one, syncs, and applies deltas', async () => {
  const feed = new ZoneFeed();
  const states: string[] = [];
  const subscription = new RecordsSubscription({
    // Port 1 on loopback: nothing listens there.
    endpoints: ['127.0.0.1:1', `127.0.0.1:${port}`],
    credentials: credentials.createInsecure(),
    clientId: 'test',
    feed,
    logger: nullLogger,
    heartbeatTimeoutMs: 1000,
    backoff: new Backoff({ initialMs: 10, maxMs: 50 }),
    onStateChange: (s) => states.push(s),
  });
  subscription.start();
  try {
    await until(() => feed.sourceState === 'synced');
    expect(feed.version).toBe(40);
    expect(feed.sourceName).toBe(`records 127.0.0.1:${port}`);
    expect(states).toContain('disconnected');
    stream.publish({ changes: [{ origin: ORIGIN, change: { $case: 'upsert', upsert: records('added', [[RecordType.RECORD_TYPE_TXT, 'x']]) } }] });
    await until(() => feed.version === 41);
    expect(feed.state.zones.get(ORIGIN)?.recordSets.has(`added.${ORIGIN}`)).toBe(true);
    // Heartbeats keep confirming the data.
    const confirmed = feed.confirmedAtMs as number;
    await until(() => (feed.confirmedAtMs as number) > confirmed);
  } finally {
    subscription.stop();
  }
});

it('never serves a lower version after moving to a replica whose versions are lower (ADR dns-0004)', async () => {
  // A second replica in process, numbered independently and lower, as a records replica that
  // started earlier is: the feed must keep going forward when the first replica dies.
  const high = new VersionedStream<ZoneSnapshot, ZoneDelta>({ epoch: 'high', initialVersion: 5000, snapshot: () => ({ zones: [zone()] }) });
  const highShutdown = new AbortController();
  const highServer = new Server();
  highServer.addService(RecordsServiceService, {
    watchZone: watchHandler(high, { heartbeatMs: 100, shutdownSignal: highShutdown.signal, logger: nullLogger }),
    explain: () => undefined,
  });
  const highPort = await new Promise<number>((resolve, reject) => highServer.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const feed = new ZoneFeed();
  const served: number[] = [];
  feed.onChange((_state, version) => served.push(version));
  const subscription = new RecordsSubscription({
    endpoints: [`127.0.0.1:${highPort}`, `127.0.0.1:${port}`],
    credentials: credentials.createInsecure(),
    clientId: 'test',
    feed,
    logger: nullLogger,
    heartbeatTimeoutMs: 1000,
    backoff: new Backoff({ initialMs: 10, maxMs: 50 }),
  });
  subscription.start();
  try {
    await until(() => feed.sourceState === 'synced' && feed.version === 5000);
    highShutdown.abort();
    highServer.forceShutdown();
    await until(() => feed.sourceName === `records 127.0.0.1:${port}` && feed.sourceState === 'synced');
    // The other replica is at 41 (or more): its snapshot is served as 5001, not 41.
    expect(feed.version).toBe(5001);
    expect(subscription.servedVersionOffset).toBe(5001 - stream.version);
    const before = stream.version;
    stream.publish({ changes: [{ origin: ORIGIN, change: { $case: 'upsert', upsert: records('later', [[RecordType.RECORD_TYPE_TXT, 'y']]) } }] });
    // Its deltas follow, shifted by the same offset, so they stay contiguous.
    await until(() => feed.version === 5002);
    expect(stream.version).toBe(before + 1);
    expect(feed.state.zones.get(ORIGIN)?.recordSets.has(`later.${ORIGIN}`)).toBe(true);
    for (let i = 1; i < served.length; i++) expect(served[i]).toBeGreaterThan(served[i - 1] as number);
  } finally {
    subscription.stop();
    highShutdown.abort();
    highServer.forceShutdown();
  }
});
