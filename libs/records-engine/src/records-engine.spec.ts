import { lintMetricNames } from '@meridian/metrics';
import { AddressFamily, RecordType, type RecordSet, type ZoneChange } from '@meridian/proto';
import { FAILOVER_EU, host, ROUND_ROBIN, target, testEngine, verdict } from '../test/fixtures';
import { parseWitnessHeartbeat } from './witness-heartbeat';

const ZONE = 'gslb.example.com';
const APP = `app.${ZONE}`;

function names(changes: readonly ZoneChange[]): string[] {
  return changes
    .map((c) => (c.change?.$case === 'upsert' ? `+${c.change.upsert.name}` : c.change?.$case === 'removedName' ? `-${c.change.removedName}` : '?'))
    .sort();
}

function lastChanges(engine: ReturnType<typeof testEngine>['engine']): ZoneChange[] {
  const event = engine.stream.next(engine.stream.version - 1);
  if (event?.kind !== 'delta') throw new Error('no delta published');
  return event.delta.changes;
}

function setOf(engine: ReturnType<typeof testEngine>['engine'], name: string): RecordSet | undefined {
  const zone = engine.stream.next(undefined);
  if (zone?.kind !== 'snapshot') throw new Error('no snapshot');
  return zone.snapshot.zones.flatMap((z) => z.recordSets).find((s) => s.name === name);
}

function answerOf(engine: ReturnType<typeof testEngine>['engine'], name: string): string[][] {
  const set = setOf(engine, name);
  if (set?.content?.$case !== 'host') return [];
  return set.content.host.a?.variants.map((v) => v.targets.map((t) => t.address)) ?? [];
}

describe('RecordsEngine: versions and readiness', () => {
  it('seeds the first version from the clock (ms × 1000) and is not ready before the first prober snapshot', () => {
    const { engine, clock } = testEngine();
    expect(engine.version).toBe(clock.now * 1000);
    expect(engine.isReady()).toBe(false);
    expect(engine.readinessDetail()).toContain('prober snapshot');
    expect(engine.flush()).toBeUndefined();
  });

  it('builds the zones from the first prober snapshot in one delta, then is ready', () => {
    const { engine, clock } = testEngine();
    engine.applyLocal({ kind: 'snapshot', hosts: [host(APP, [target('10.1.0.1')]), host(`db.${ZONE}`, [target('10.1.0.2')])], problems: [] });
    expect(engine.flush()).toBe(clock.now * 1000 + 1);
    expect(engine.isReady()).toBe(true);
    expect(names(lastChanges(engine))).toEqual([`+${APP}`, `+db.${ZONE}`, `+localtargets-${APP}`, `+localtargets-db.${ZONE}`]);
  });

  it('waits for a configured peer-sync until it syncs or the start-up grace ends', () => {
    const { engine } = testEngine({ expectRemoteTargets: true });
    engine.applyLocal({ kind: 'snapshot', hosts: [], problems: [] });
    engine.flush();
    expect(engine.isReady()).toBe(false);
    engine.endStartupGrace();
    expect(engine.isReady()).toBe(true);
  });

  it('is ready at once when no prober is configured (no zones to build)', () => {
    const { engine } = testEngine({ expectLocalTargets: false, zones: [] });
    expect(engine.isReady()).toBe(true);
    expect(engine.stream.next(undefined)).toMatchObject({ kind: 'snapshot', snapshot: { zones: [] } });
  });
});

describe('RecordsEngine: incremental recomputation', () => {
  function built() {
    const t = testEngine();
    const hosts = Array.from({ length: 50 }, (_, i) => host(`h${i}.${ZONE}`, [target(`10.1.0.${i + 1}`), target(`10.1.1.${i + 1}`)]));
    t.engine.applyLocal({ kind: 'snapshot', hosts, problems: [] });
    t.engine.flush();
    return t;
  }

  it('a health change of one host publishes a delta of that host only (its answer and its localtargets)', () => {
    const { engine } = built();
    const before = engine.version;
    engine.applyLocal({ kind: 'delta', upserted: [host(`h7.${ZONE}`, [target('10.1.0.8', false), target('10.1.1.8')])], removed: [] });
    expect(engine.flush()).toBe(before + 1);
    expect(names(lastChanges(engine))).toEqual([`+h7.${ZONE}`, `+localtargets-h7.${ZONE}`]);
    expect(answerOf(engine, `h7.${ZONE}`)).toEqual([['10.1.1.8']]);
  });

  it.each([
    ['probe details change (latency, times, counts)', host(`h3.${ZONE}`, [{ ...target('10.1.0.4'), checks: [] }, target('10.1.1.4')])],
    ['the same report again', host(`h3.${ZONE}`, [target('10.1.0.4'), target('10.1.1.4')])],
  ])('publishes nothing when %s', (_what, report) => {
    const { engine } = built();
    const before = engine.version;
    engine.applyLocal({ kind: 'delta', upserted: [report], removed: [] });
    expect(engine.flush()).toBeUndefined();
    expect(engine.version).toBe(before);
  });

  it('a change that lands on the same answer publishes nothing (encoded record sets compared)', () => {
    const { engine } = built();
    const before = engine.version;
    // serviceHealth changes (it feeds the Gslb status) but the targets and their health do not.
    engine.applyLocal({ kind: 'delta', upserted: [{ ...host(`h3.${ZONE}`, [target('10.1.0.4'), target('10.1.1.4')]), serviceHealth: 'Unspecified' }], removed: [] });
    expect(engine.flush()).toBeUndefined();
    expect(engine.version).toBe(before);
  });

  it('a removed host removes its names', () => {
    const { engine } = built();
    engine.applyLocal({ kind: 'delta', upserted: [], removed: [`h1.${ZONE}`] });
    engine.flush();
    expect(names(lastChanges(engine))).toEqual([`-h1.${ZONE}`, `-localtargets-h1.${ZONE}`]);
  });

  it('a new prober snapshot re-plans only what differs', () => {
    const { engine } = built();
    const hosts = Array.from({ length: 50 }, (_, i) => host(`h${i}.${ZONE}`, [target(`10.1.0.${i + 1}`), target(`10.1.1.${i + 1}`)]));
    hosts[10] = host(`h10.${ZONE}`, [target('10.1.0.11')]);
    engine.applyLocal({ kind: 'snapshot', hosts: hosts.filter((h) => h.host !== `h20.${ZONE}`), problems: [] });
    engine.flush();
    expect(names(lastChanges(engine))).toEqual([`+h10.${ZONE}`, `+localtargets-h10.${ZONE}`, `-h20.${ZONE}`, `-localtargets-h20.${ZONE}`]);
  });

  it('coalesces several input events into one delta', () => {
    const { engine } = built();
    const before = engine.version;
    engine.applyLocal({ kind: 'delta', upserted: [host(`h1.${ZONE}`, [target('10.1.0.2')])], removed: [] });
    engine.applyLocal({ kind: 'delta', upserted: [host(`h2.${ZONE}`, [target('10.1.0.3')])], removed: [] });
    expect(engine.flush()).toBe(before + 1);
    expect(names(lastChanges(engine))).toEqual([`+h1.${ZONE}`, `+h2.${ZONE}`, `+localtargets-h1.${ZONE}`, `+localtargets-h2.${ZONE}`]);
  });
});

describe('RecordsEngine: zone assembly', () => {
  it('serves the apex with k8gb nameserver names, an SOA whose MNAME is this region, and the geo routes', () => {
    const { engine } = testEngine();
    const snapshot = engine.stream.next(undefined);
    if (snapshot?.kind !== 'snapshot') throw new Error('no snapshot');
    expect(snapshot.snapshot.zones.map((z) => z.header)).toEqual([
      {
        origin: ZONE,
        soa: { mname: 'gslb-ns-eu-gslb.example.com', rname: `hostmaster.${ZONE}`, refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 30 },
        nameservers: ['gslb-ns-eu-gslb.example.com', 'gslb-ns-us-gslb.example.com'],
        nsTtlSeconds: 30,
        geoRoutes: [
          { cidr: '10.1.0.0/16', region: 'eu' },
          { cidr: '10.2.0.0/16', region: 'us' },
        ],
      },
    ]);
  });

  it("publishes this region's heartbeat TXT and delegates the other regions' heartbeat names to their own NS", () => {
    const { engine, clock } = testEngine();
    engine.applyLocal({ kind: 'snapshot', hosts: [], problems: [] });
    engine.flush();
    expect(setOf(engine, `us._witness.${ZONE}`)).toEqual({
      name: `us._witness.${ZONE}`,
      ttlSeconds: 30,
      content: { $case: 'records', records: { records: [{ type: RecordType.RECORD_TYPE_NS, data: 'gslb-ns-us-gslb.example.com' }] } },
    });
    clock.advance(2000);
    engine.heartbeat();
    const version = engine.flush();
    expect(names(lastChanges(engine))).toEqual([`+eu._witness.${ZONE}`]);
    const txt = setOf(engine, `eu._witness.${ZONE}`);
    expect(txt?.ttlSeconds).toBe(1);
    const data = txt?.content?.$case === 'records' ? txt.content.records.records[0]?.data : '';
    expect(parseWitnessHeartbeat(data ?? '')).toEqual({ sequence: version, timeMs: clock.now, region: 'eu' });
  });

  it('answers NAME targets in the A plan (a CNAME) and IPv6 targets in the AAAA plan; localtargets holds healthy addresses only', () => {
    const { engine } = testEngine();
    engine.applyLocal({
      kind: 'snapshot',
      hosts: [
        host(`lb.${ZONE}`, [target('lb-1.elb.example.net')]),
        host(APP, [target('10.1.0.1'), target('2001:db8::1'), target('10.1.0.9', false)]),
      ],
      problems: [],
    });
    engine.flush();
    const lb = setOf(engine, `lb.${ZONE}`);
    expect(lb?.content?.$case === 'host' && lb.content.host.a?.variants[0]?.targets).toEqual([
      { address: 'lb-1.elb.example.net', family: AddressFamily.ADDRESS_FAMILY_NAME, source: 0 },
    ]);
    const app = setOf(engine, APP);
    expect(app?.content?.$case === 'host' && app.content.host.aaaa?.variants[0]?.targets.map((t) => t.address)).toEqual(['2001:db8::1']);
    expect(setOf(engine, `localtargets-${APP}`)?.content).toEqual({
      $case: 'records',
      records: {
        records: [
          { type: RecordType.RECORD_TYPE_A, data: '10.1.0.1' },
          { type: RecordType.RECORD_TYPE_AAAA, data: '2001:db8::1' },
        ],
      },
    });
    expect(setOf(engine, `localtargets-lb.${ZONE}`)).toBeUndefined();
  });

  it('serves several zones: each host in the longest zone that holds it, each zone with its own apex and heartbeat', () => {
    const { engine } = testEngine({
      zones: [
        { origin: ZONE, parentZone: 'example.com', soa: { rname: '', refresh: 1, retry: 1, expire: 1, minimum: 1, ttlSeconds: 1 }, nsTtlSeconds: 30 },
        { origin: 'apps.example.org', parentZone: 'example.org', soa: { rname: 'dns.example.org', refresh: 1, retry: 1, expire: 1, minimum: 1, ttlSeconds: 1 }, nsTtlSeconds: 60 },
      ],
    });
    engine.applyLocal({ kind: 'snapshot', hosts: [host(APP, [target('10.1.0.1')]), host('shop.apps.example.org', [target('10.1.0.2')])], problems: [] });
    engine.flush();
    const snapshot = engine.stream.next(undefined);
    if (snapshot?.kind !== 'snapshot') throw new Error('no snapshot');
    const zones = new Map(snapshot.snapshot.zones.map((z) => [z.header?.origin ?? '', z]));
    expect(zones.get('apps.example.org')?.header).toMatchObject({
      nameservers: ['gslb-ns-eu-apps.example.org', 'gslb-ns-us-apps.example.org'],
      nsTtlSeconds: 60,
      soa: { mname: 'gslb-ns-eu-apps.example.org', rname: 'dns.example.org' },
    });
    expect(zones.get('apps.example.org')?.recordSets.map((s) => s.name).sort()).toEqual(['eu._witness.apps.example.org', 'localtargets-shop.apps.example.org', 'shop.apps.example.org', 'us._witness.apps.example.org']);
    expect(zones.get(ZONE)?.recordSets.map((s) => s.name)).toContain(APP);
    engine.heartbeat();
    engine.flush();
    expect(names(lastChanges(engine))).toEqual([`+eu._witness.apps.example.org`, `+eu._witness.${ZONE}`]);
  });

  it('does not serve a host outside every zone, and says why', () => {
    const { engine } = testEngine();
    engine.applyLocal({ kind: 'snapshot', hosts: [host('app.other.example.org', [target('10.1.0.1')])], problems: [] });
    expect(engine.flush()).toBeUndefined();
    expect(engine.hostState('app.other.example.org')?.problem).toContain('outside every zone');
  });

  it('uses the geo map in geoip plans: each region gets its own targets', () => {
    const { engine, clock } = testEngine();
    const geoip = { ...ROUND_ROBIN, type: 'geoip' as const };
    engine.applyLocal({ kind: 'snapshot', hosts: [host(APP, [target('10.1.0.1')], geoip)], problems: [] });
    engine.applyRemote({ kind: 'snapshot', regions: [{ region: 'us', hosts: [host(APP, [target('10.2.0.1')], geoip, 'us')], lastContactMs: clock.now, connected: true }] });
    engine.setRemoteLink(true);
    engine.flush();
    const set = setOf(engine, APP);
    const plan = set?.content?.$case === 'host' ? set.content.host.a : undefined;
    expect(plan?.selector?.$case).toBe('geo');
    const geo = plan?.selector?.$case === 'geo' ? plan.selector.geo : undefined;
    const variant = (region: string) => plan?.variants[geo?.variantByRegion[region] ?? -1]?.targets.map((t) => t.address);
    expect(variant('eu')).toEqual(['10.1.0.1']);
    expect(variant('us')).toEqual(['10.2.0.1']);
  });
});

describe('RecordsEngine: regions, verdicts and time (primary eu, secondary us, failover)', () => {
  // From us's point of view: this region is us; eu is the primary.
  const failoverEu = FAILOVER_EU;
  function fromUs() {
    const t = testEngine({ localGeoTag: 'us' });
    t.engine.applyLocal({ kind: 'snapshot', hosts: [host(APP, [target('10.2.0.1')], failoverEu, 'us')], problems: [] });
    t.engine.applyRemote({ kind: 'snapshot', regions: [{ region: 'eu', hosts: [host(APP, [target('10.1.0.1')], failoverEu, 'eu', t.clock.now)], lastContactMs: t.clock.now, connected: true }] });
    t.engine.setRemoteLink(true);
    t.engine.flush();
    return t;
  }

  it('both healthy, all links up: answers eu', () => {
    const { engine } = fromUs();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
  });

  it("eu's app unhealthy (eu says so): answers us", () => {
    const { engine, clock } = fromUs();
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [host(APP, [target('10.1.0.1', false)], failoverEu, 'eu', clock.now)], removed: [], lastContactMs: clock.now, connected: true, regionRemoved: false }] });
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
  });

  it('link cut, witnesses see eu (ALIVE): keeps answering eu, until the ALIVE hold expires by time alone', () => {
    const { engine, clock } = fromUs();
    engine.applyVerdicts({ kind: 'snapshot', verdicts: [verdict('eu', 'ALIVE')] });
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [], removed: [], lastContactMs: clock.now, connected: false, regionRemoved: false }] });
    engine.flush();
    clock.advance(60_000);
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
    expect(engine.hostView(APP)?.state.plans?.a?.decisions.find((d) => d.geoTag === 'eu')?.rule).toBe('held-alive');
    clock.advance(900_000);
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
  });

  it('eu region completely down: answers us once the quorum says DOWN', () => {
    const { engine, clock } = fromUs();
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [], removed: [], lastContactMs: clock.now, connected: false, regionRemoved: false }] });
    clock.advance(10_000);
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]); // UNKNOWN: the last decision holds
    engine.applyVerdicts({ kind: 'delta', changed: [verdict('eu', 'DOWN')] });
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
  });

  it('peer-sync itself goes away: what it said is confirmed until then, then the regions are judged as silent', () => {
    const { engine, clock } = fromUs();
    engine.applyVerdicts({ kind: 'snapshot', verdicts: [verdict('eu', 'DOWN')] });
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]); // fresh data beats DOWN
    clock.advance(1000);
    engine.setRemoteLink(false);
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
    clock.advance(2500); // 2.5 s after peer-sync went away: still fresh (freshFor 3 s)
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
    clock.advance(1000);
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
  });

  it('the witness stream goes away: its verdicts count as UNKNOWN until it is back (resumed or resynced)', () => {
    const { engine, clock } = fromUs();
    engine.applyVerdicts({ kind: 'snapshot', verdicts: [verdict('eu', 'ALIVE')] });
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [], removed: [], lastContactMs: clock.now, connected: false, regionRemoved: false }] });
    clock.advance(400_000); // past the UNKNOWN stale limit, within the ALIVE hold
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
    engine.setVerdictLink(false);
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
    engine.setVerdictLink(true); // resumed with deltas: the ALIVE verdict it had is valid again
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
  });

  it('the link heals: fresh data counts at once', () => {
    const { engine, clock } = fromUs();
    engine.applyVerdicts({ kind: 'snapshot', verdicts: [verdict('eu', 'DOWN')] });
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [], removed: [], lastContactMs: clock.now, connected: false, regionRemoved: false }] });
    clock.advance(5000);
    engine.reevaluate();
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.2.0.1']]);
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [], removed: [], lastContactMs: clock.now, connected: true, regionRemoved: false }] });
    engine.flush();
    expect(answerOf(engine, APP)).toEqual([['10.1.0.1']]);
  });

  it('a host only a peer declares is planned with the peer spec', () => {
    const { engine, clock } = fromUs();
    engine.applyRemote({ kind: 'delta', changes: [{ region: 'eu', upserted: [host(`only-eu.${ZONE}`, [target('10.1.0.7')], ROUND_ROBIN, 'eu')], removed: [], lastContactMs: clock.now, connected: true, regionRemoved: false }] });
    engine.flush();
    expect(answerOf(engine, `only-eu.${ZONE}`)).toEqual([['10.1.0.7']]);
    expect(engine.hostState(`only-eu.${ZONE}`)?.specRegion).toBe('eu');
  });
});

describe('RecordsEngine: status and metrics', () => {
  it("computes k8gb's Gslb status and metrics, and every metric passes the lint", async () => {
    const { engine, registry } = testEngine();
    engine.applyLocal({
      kind: 'snapshot',
      hosts: [host(APP, [target('10.1.0.1'), target('10.1.0.2', false)], FAILOVER_EU), host(`down.${ZONE}`, [target('10.1.0.3', false)], { ...FAILOVER_EU, whenAllUnhealthy: 'failOpen' })],
      problems: [],
    });
    engine.flush();
    expect(engine.gslbKeys()).toEqual(['apps/app']);
    expect(engine.statusOf('apps/app')).toEqual({
      serviceHealth: { [APP]: 'Healthy', [`down.${ZONE}`]: 'Unhealthy' },
      healthyRecords: { [APP]: ['10.1.0.1'] },
      geoTag: 'eu',
      hosts: `${APP}, down.${ZONE}`,
    });
    const text = await registry.metrics();
    expect(text).toContain('k8gb_gslb_healthy_records{namespace="apps",name="app"} 1');
    expect(text).toContain('k8gb_gslb_service_status_num{namespace="apps",name="app",status="Unhealthy"} 1');
    expect(text).toContain('k8gb_gslb_status_count_for_failover{namespace="apps",name="app",status="Healthy_primary"} 1');
    expect(text).toContain('meridian_records_fail_open_hosts 1');
    expect(text).toContain('meridian_records_hosts{state="served"} 2');
    expect(lintMetricNames(registry, 'records')).toEqual([]);
  });

  it('exports per-host answer series: the same digest in two regions that agree, a different one when they disagree', async () => {
    const { engine: eu, registry: euMetrics, clock } = testEngine();
    const { engine: us, registry: usMetrics } = testEngine({ localGeoTag: 'us' }, clock);
    const euApp = (healthy: boolean) => host(APP, [target('10.1.0.1', healthy)], FAILOVER_EU, 'eu', clock.now);
    const usApp = host(APP, [target('10.2.0.1')], FAILOVER_EU, 'us', clock.now);
    const remote = (region: string, report: ReturnType<typeof host>) => ({ kind: 'snapshot' as const, regions: [{ region, hosts: [report], lastContactMs: clock.now, connected: true }] });
    eu.applyLocal({ kind: 'snapshot', hosts: [euApp(true)], problems: [] });
    eu.applyRemote(remote('us', usApp));
    us.applyLocal({ kind: 'snapshot', hosts: [usApp], problems: [] });
    us.applyRemote(remote('eu', euApp(true)));
    eu.flush();
    us.flush();
    const digest = async (registry: typeof euMetrics) => /meridian_records_host_answer_digest\{host="app\.gslb\.example\.com"\} (\d+)/.exec(await registry.metrics())?.[1];
    expect(await digest(euMetrics)).toMatch(/^\d+$/);
    expect(await digest(euMetrics)).toBe(await digest(usMetrics));
    const euText = await euMetrics.metrics();
    expect(euText).toContain(`meridian_records_host_healthy_targets{host="${APP}"} 1`);
    expect(euText).toContain(`meridian_records_host_region_used{host="${APP}",region="eu"} 1`);
    expect(euText).toContain(`meridian_records_host_region_used{host="${APP}",region="us"} 0`);

    // eu's app fails, but only eu hears of it: eu fails over to us, us still answers eu.
    eu.applyLocal({ kind: 'snapshot', hosts: [euApp(false)], problems: [] });
    eu.flush();
    expect(await digest(euMetrics)).not.toBe(await digest(usMetrics));
    expect(await euMetrics.metrics()).toContain(`meridian_records_host_region_used{host="${APP}",region="us"} 1`);
    // us hears it too: they agree again.
    us.applyRemote(remote('eu', euApp(false)));
    us.flush();
    expect(await digest(euMetrics)).toBe(await digest(usMetrics));

    // A host that goes away takes its series with it.
    eu.applyLocal({ kind: 'snapshot', hosts: [], problems: [] });
    eu.applyRemote({ kind: 'snapshot', regions: [] });
    eu.flush();
    expect(await euMetrics.metrics()).not.toContain(`host="${APP}"`);
    expect(lintMetricNames(euMetrics, 'records')).toEqual([]);
  });

  it('counts a host it cannot plan as a k8gb error of its Gslb', async () => {
    const { engine, registry } = testEngine();
    engine.applyLocal({ kind: 'snapshot', hosts: [host('x.elsewhere.org', [target('10.1.0.1')])], problems: [] });
    engine.flush();
    expect(await registry.metrics()).toContain('k8gb_gslb_errors_total{namespace="apps",name="app"} 1');
  });
});
