import { credentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { lintMetricDescriptors, parseExposition } from '@meridian/metrics';
import {
  RecordsServiceClient,
  StrategyType,
  VerdictState,
  type ExplainResponse,
  type LocalTargetsDelta,
  type LocalTargetsSnapshot,
  type RemoteTargetsDelta,
  type RemoteTargetsSnapshot,
  type VerdictsDelta,
  type VerdictsSnapshot,
} from '@meridian/proto';
import { runServiceToExit, scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { fakePeerSync, fakeProber, fakeWitness, type FakeWatchServer } from './support/fake-watch-server';
import { hostHealth, recordsConfig, regionVerdict, strategy, ZONE } from './support/proto-fixtures';
import { until, ZoneWatcher } from './support/zone-watcher';

const GEO = `geo.${ZONE}`;
const FAILOVER = `failover.${ZONE}`;
const geoip = strategy(StrategyType.STRATEGY_TYPE_GEOIP);
const failoverUs = strategy(StrategyType.STRATEGY_TYPE_FAILOVER, ['us']);

function remote(connected: boolean, usHealthy = true): RemoteTargetsSnapshot {
  return {
    regions: [
      {
        region: 'us',
        hosts: [hostHealth(GEO, { '10.2.0.1': true }, { region: 'us', strategy: geoip }), hostHealth(FAILOVER, { '10.2.0.9': usHealthy }, { region: 'us', strategy: failoverUs })],
        lastContact: new Date(),
        connected,
      },
    ],
  };
}

describe('records with prober, peer-sync and witness: Explain and split-brain over real streams', () => {
  let prober: FakeWatchServer<LocalTargetsSnapshot, LocalTargetsDelta>;
  let peerSync: FakeWatchServer<RemoteTargetsSnapshot, RemoteTargetsDelta>;
  let witness: FakeWatchServer<VerdictsSnapshot, VerdictsDelta>;
  let records: ServiceProcess;
  let client: RecordsServiceClient;
  let dns: ZoneWatcher;

  const explain = (host: string, clientSubnet = '') =>
    new Promise<ExplainResponse>((resolve, reject) => client.explain({ host, clientSubnet }, (err: ServiceError | null, res?: ExplainResponse) => (err ? reject(err) : resolve(res as ExplainResponse))));

  beforeAll(async () => {
    prober = await fakeProber({
      region: 'eu',
      hosts: [hostHealth(GEO, { '10.1.0.1': true }, { strategy: geoip }), hostHealth(FAILOVER, { '10.1.0.9': true }, { strategy: failoverUs })],
      problems: [{ source: 'file:/etc/meridian/gslb.yaml', resource: 'Gslb/demo/app', field: 'spec.resourceRef', message: 'an example problem' }],
    }).start();
    peerSync = await fakePeerSync(remote(true)).start();
    witness = await fakeWitness({ verdicts: [regionVerdict('us', VerdictState.VERDICT_STATE_ALIVE)] }).start();
    records = await startService('records', {
      config: recordsConfig({ prober: prober.address, peerSync: peerSync.address, witness: witness.address }, { staleness: { freshForSeconds: 0.5, staleLimitSeconds: 60, aliveHoldLimitSeconds: 120 } }),
    });
    client = new RecordsServiceClient(records.grpcAddress, credentials.createInsecure());
    dns = new ZoneWatcher(records.grpcAddress, 'dns').start();
    await until(() => dns.state === 'synced' && dns.answer(FAILOVER).length > 0, 'the zone');
  });

  afterAll(async () => {
    dns?.stop();
    client?.close();
    await records?.stop('SIGKILL');
    await Promise.all([prober?.stop(), peerSync?.stop(), witness?.stop()]);
  });

  it.each([
    ['10.2.3.4', ['10.2.0.1'], 16, 'the client is in us'],
    ['10.1.0.0/16', ['10.1.0.1'], 16, 'the client is in eu'],
    ['', ['10.1.0.1', '10.2.0.1'], 0, 'no client subnet given'],
  ])('explains what a client at %p gets from a geoip host', async (subnet, answer, scope, summary) => {
    const res = await explain(GEO, subnet);
    expect(res.answer.map((t) => t.address).sort()).toEqual(answer);
    expect(res.ecsScope).toBe(scope);
    expect(res.summary).toContain(summary);
    expect(res.zone).toBe(ZONE);
    expect(res.ttlSeconds).toBe(30);
    expect(res.zoneVersion).toBeGreaterThan(Date.now() * 100);
    expect(res.regions.map((r) => [r.region, r.local, r.used])).toEqual([
      ['eu', true, true],
      ['us', false, true],
    ]);
    expect(res.regions[1]?.verdict?.state).toBe(VerdictState.VERDICT_STATE_ALIVE);
    expect(res.regions[0]?.targets[0]?.checks[0]?.message).toBe('HTTP 200');
    expect(res.problems.map((p) => p.message)).toEqual(['an example problem']);
  });

  it('answers NOT_FOUND for a host no region declares, and INVALID_ARGUMENT for a bad subnet', async () => {
    await expect(explain(`nope.${ZONE}`)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND, details: expect.stringContaining('not a GSLB host known to this region') });
    await expect(explain(GEO, '10.1.0.0/40')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringContaining('prefix length') });
    await expect(explain(GEO, 'eu')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });

  it('failover to a primary in another region; the link to it is cut but witnesses see it: keeps its targets (held-alive); DOWN: fails over', async () => {
    expect(dns.answer(FAILOVER)).toEqual(['10.2.0.9']);
    peerSync.publish(remote(false), { changes: [{ region: 'us', upserted: [], removedHosts: [], lastContact: new Date(), connected: false, regionRemoved: false }] });
    await new Promise((r) => setTimeout(r, 1200));
    const held = await explain(FAILOVER);
    expect(held.regions.find((r) => r.region === 'us')?.reason).toContain('ALIVE: holding its last known targets');
    expect(dns.answer(FAILOVER)).toEqual(['10.2.0.9']);
    const started = performance.now();
    witness.publish({ verdicts: [regionVerdict('us', VerdictState.VERDICT_STATE_DOWN)] }, { changed: [regionVerdict('us', VerdictState.VERDICT_STATE_DOWN)] });
    await until(() => dns.answer(FAILOVER)[0] === '10.1.0.9', 'the failover to eu');
    process.stdout.write(`records: witness DOWN → failover at the subscriber in ${(performance.now() - started).toFixed(1)} ms\n`);
    const down = await explain(FAILOVER);
    expect(down.summary).toContain('failover: eu answers');
    expect(down.summary).toContain('Dropped: us (dropped-down)');
    // The link heals: fresh data beats the DOWN verdict at once.
    peerSync.publish(remote(true), { changes: [{ region: 'us', upserted: [], removedHosts: [], lastContact: new Date(), connected: true, regionRemoved: false }] });
    await until(() => dns.answer(FAILOVER)[0] === '10.2.0.9', 'us back once its data is fresh');
  });

  it("exposes k8gb's metrics and its own, all passing the lint", async () => {
    const text = await scrapeMetrics(records.metricsPort);
    expect(text).toContain('k8gb_gslb_healthy_records{namespace="demo",name="app"}');
    expect(text).toContain('k8gb_gslb_status_count_for_geoip{namespace="demo",name="app",status="Healthy"}');
    expect(text).toContain('k8gb_gslb_status_count_for_failover{namespace="demo",name="app",status="Healthy_secondary"}');
    expect(text).toContain('meridian_records_input_state{input="peer_sync",state="synced"} 1');
    expect(text).toContain('meridian_records_watch_subscribers 1');
    expect(text).toMatch(/meridian_records_compute_seconds_count [1-9]/);
    expect(lintMetricDescriptors(parseExposition(text), 'records')).toEqual([]);
  });
});

describe('records inputs that are absent or down', () => {
  it('becomes ready after the start-up grace when peer-sync and witness are configured but down, and serves local targets', async () => {
    const prober = await fakeProber({ region: 'eu', hosts: [hostHealth(GEO, { '10.1.0.1': true }, { strategy: geoip })], problems: [] }).start();
    const records = await startService('records', { config: recordsConfig({ prober: prober.address, peerSync: '127.0.0.1:1', witness: '127.0.0.1:1' }) });
    const dns = new ZoneWatcher(records.grpcAddress, 'dns').start();
    try {
      await until(() => dns.state === 'synced', 'the zone after the grace', 8000);
      expect(dns.answer(GEO)).toEqual(['10.1.0.1']);
      const text = await scrapeMetrics(records.metricsPort);
      expect(text).toMatch(/meridian_records_input_state\{input="witness",state="(disconnected|connecting)"\} 1/);
    } finally {
      dns.stop();
      await records.stop('SIGKILL');
      await prober.stop();
    }
  });

  it('rejects a config with zones but no prober, naming the field', async () => {
    const { code, stderr } = await runServiceToExit('records', 'region: eu\ndnsZones:\n  - zone: gslb.example.com\n    parentZone: example.org\n');
    expect(code).toBe(2);
    expect(stderr).toContain('inputs.prober');
    expect(stderr).toContain('dnsZones.0.parentZone');
  });
});
