import { credentials } from '@grpc/grpc-js';
import { DnsServiceClient, RecordType, SubscriptionState, type GetServingStatusResponse } from '@meridian/proto';
import { dig } from './support/dig';
import { metric, startDns, waitReady, type DnsProcess } from './support/dns-process';
import { FakeRecords } from './support/fake-records';
import { ORIGIN, staticSet } from './support/zone-fixture';

// The subscription to records: resume with since_version, static stability while records is
// gone (answers continue, the zone-age metric grows), and a resync that loses no update.
let records: FakeRecords;
let dns: DnsProcess;

async function eventually<T>(check: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await check();
  }
  return value;
}

const addresses = async (host: string) => (await dig(dns.port, `${host}.${ORIGIN}`, 'A')).answer.map((a) => a.data).sort();
const serial = async () => Number((await dig(dns.port, ORIGIN, 'SOA')).answer[0]?.data.split(' ')[2]);
const host = (name: string, address: string) => staticSet(name, 30, [[RecordType.RECORD_TYPE_A, address]]);

function servingStatus(): Promise<GetServingStatusResponse> {
  const client = new DnsServiceClient(dns.proc.grpcAddress, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.getServingStatus({}, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res as GetServingStatusResponse);
    }),
  );
}

beforeAll(async () => {
  records = new FakeRecords(100);
  const port = await records.start(0);
  dns = await startDns({ dns: { workers: 1 }, records: { endpoints: [`127.0.0.1:${port}`], heartbeatTimeoutSeconds: 1 } });
  await waitReady(dns.proc);
}, 30_000);

afterAll(async () => {
  await dns?.proc.stop('SIGTERM');
  records?.kill();
});

it('serves the snapshot from records; the SOA serial is the stream version', async () => {
  expect(await addresses('app')).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
  expect(await serial()).toBe(100);
  const status = await servingStatus();
  expect(status).toMatchObject({ zoneVersion: 100, subscription: SubscriptionState.SUBSCRIPTION_STATE_SYNCED, zones: [ORIGIN], workers: 1 });
  expect(status.source).toBe(`records 127.0.0.1:${records.port}`);
});

it('applies deltas as they come', async () => {
  records.upsert(host('new1', '192.0.2.101'));
  expect(await eventually(() => addresses('new1'), (a) => a.length === 1)).toEqual(['192.0.2.101']);
  expect(await serial()).toBe(101);
});

it('keeps answering from the last zone while records is gone, and the zone age grows', async () => {
  records.kill();
  await eventually(() => metric(dns.proc, 'meridian_dns_subscription_state', '{state="disconnected"}'), (v) => v === 1);
  const age1 = (await metric(dns.proc, 'meridian_dns_zone_age_seconds')) as number;
  expect(await addresses('app')).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
  expect(await addresses('new1')).toEqual(['192.0.2.101']);
  await new Promise((r) => setTimeout(r, 1500));
  const age2 = (await metric(dns.proc, 'meridian_dns_zone_age_seconds')) as number;
  expect(age2).toBeGreaterThan(age1 + 1);
  expect((await servingStatus()).subscription).toBe(SubscriptionState.SUBSCRIPTION_STATE_DISCONNECTED);
});

it('resumes from its version after records returns and loses no update made meanwhile', async () => {
  // Three changes while dns cannot hear them.
  records.upsert(host('new2', '192.0.2.102'));
  records.remove(`new1.${ORIGIN}`);
  const last = records.upsert(host('new3', '192.0.2.103'));
  expect(last).toBe(104);
  await records.start();
  await eventually(() => addresses('new3'), (a) => a.length === 1);
  expect(await addresses('new2')).toEqual(['192.0.2.102']);
  expect((await dig(dns.port, `new1.${ORIGIN}`, 'A')).status).toBe('NXDOMAIN');
  expect(await serial()).toBe(104);
  // It asked for the deltas since 101 and got them, not a new snapshot.
  const resumed = records.logs.filter((r) => r.msg === 'watch started');
  expect(resumed[resumed.length - 1]?.fields).toMatchObject({ resumed: true, sinceVersion: 101 });
  await eventually(() => metric(dns.proc, 'meridian_dns_subscription_state', '{state="synced"}'), (v) => v === 1);
  expect(await metric(dns.proc, 'meridian_dns_zone_age_seconds')).toBeLessThan(1);
  expect(await metric(dns.proc, 'meridian_dns_zone_version')).toBe(104);
});
