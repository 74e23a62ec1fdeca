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
