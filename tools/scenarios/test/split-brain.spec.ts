import { stringify } from 'yaml';
import { describeWithNetns, Network } from '@meridian/netns-harness';
import { appEntry } from '@meridian/testing';
import { answerAt, fmt, observeFor, report, waitForAnswers, type Vantage } from './support/answers';
import { dnsConfig, FAILOVER, recordsConfig, type RegionServices, ROUNDROBIN, startRegions, TARGETS } from './support/topology';

/**
 * The split-brain table of DESIGN.md ("Regions, partitions and split brain"), row by row, on
 * the multi-region network with the real services: regions eu and us in their own namespaces
 * (sample app, prober, peer-sync, witness, records, dns on port 53 of the region's address),
 * the edge BIND delegating gslb.example.com to both regions' nameservers, three witness
 * resolvers and a client resolver (Unbound). Every answer is checked with dig at the client's
 * resolver and at each region's nameserver (asked from inside that region).
 *
 * Region us also runs a second records + dns pair that does not subscribe to the witness
 * (DNS on port 5353, not delegated): the k8gb-like behaviour, shown next to Meridian's in the
 * cut-link row.
 */
const EU = TARGETS['eu'] as string;
const US = TARGETS['us'] as string;
const BOTH = [EU, US].sort().join(',');
const ALL: Vantage[] = ['client', 'ns:eu', 'ns:us'];
const NO_WITNESS: Vantage = 'ns:us:5353';
/** The no-witness records drops a silent region after this (k8gb: about 30 s + TTL). */
const NO_WITNESS_STALE_LIMIT_S = 5;

describeWithNetns('split brain: the table of DESIGN.md on the multi-region network', () => {
  let net: Network;
  let regions: Record<string, RegionServices>;

  const post = async (region: string, path: '/fail' | '/recover') => {
    const res = await fetch(`http://${(regions[region] as RegionServices).sampleApp.address}${path}`, { method: 'POST' });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    net = await Network.create({ regions: ['eu', 'us'] });
    regions = await startRegions(net);
    // The k8gb-like pair in us: records without the witness input, its own dns on 5353.
    const records = net.writeFile('us/records-no-witness.yaml', stringify(recordsConfig(net, 'us', { witness: false, grpcPort: 7204, metricsPort: 9204, staleLimitSeconds: NO_WITNESS_STALE_LIMIT_S })));
    await net.start('us', 'records-no-witness', process.execPath, [appEntry('records'), '--config', records], { ready: /"service started"/, readyTimeoutMs: 30_000 });
    const dns = net.writeFile('us/dns-no-witness.yaml', stringify(dnsConfig('us', net.region('us').address, 5353, 7204, 7205, 9205)));
    await net.start('us', 'dns-no-witness', process.execPath, [appEntry('dns'), '--config', dns], { ready: /"service started"/, readyTimeoutMs: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await net?.destroy();
  }, 60_000);

  /** Every region healthy and every link up, answering eu everywhere (the starting point of each row). */
  const settled = async () => {
    await waitForAnswers(net, FAILOVER, EU, [...ALL, NO_WITNESS], 30_000);
    await waitForAnswers(net, ROUNDROBIN, BOTH, [...ALL, NO_WITNESS], 30_000);
  };

  it('1. both healthy, all links up: both answer eu (roundRobin: both regions)', async () => {
    const t = await waitForAnswers(net, FAILOVER, EU, ALL, 60_000);
    report(`row 1: failover answers eu after start-up: ${fmt(t)}`);
    const rr = await waitForAnswers(net, ROUNDROBIN, BOTH, ALL, 30_000);
    report(`row 1: roundRobin answers eu+us: ${fmt(rr)}`);
    // Steady: nothing moves while nothing happens.
    const seen = await observeFor(net, FAILOVER, ALL, 3_000);
    expect(seen).toEqual({ client: [EU], 'ns:eu': [EU], 'ns:us': [EU] });
  }, 120_000);

  it("2. eu's app unhealthy (POST /fail): both answer us within ~5 s; back to eu on recovery", async () => {
    await settled();
    await post('eu', '/fail');
    const t = await waitForAnswers(net, FAILOVER, US, ALL, 10_000);
    report(`row 2: eu's app failed → failover answers us: ${fmt(t)}`);
    expect(Math.max(t['ns:eu'] ?? Infinity, t['ns:us'] ?? Infinity)).toBeLessThanOrEqual(5_000);
    const rr = await waitForAnswers(net, ROUNDROBIN, US, ALL, 10_000);
    report(`row 2: roundRobin drops eu: ${fmt(rr)}`);
    await post('eu', '/recover');
    const back = await waitForAnswers(net, FAILOVER, EU, ALL, 10_000);
    report(`row 2: eu's app recovered → failover answers eu: ${fmt(back)}`);
  }, 60_000);

  it('3. eu ↔ us link cut, witnesses see both: us keeps answering eu (no failover), unlike records without the witness', async () => {
    await settled();
    await net.cut('eu', 'us');
    try {
      const [seen, noWitness] = await Promise.all([
        observeFor(net, FAILOVER, ALL, 10_000),
        waitForAnswers(net, FAILOVER, US, [NO_WITNESS], 20_000).catch((err: Error) => err),
      ]);
      const rrSeen = await observeFor(net, ROUNDROBIN, ALL, 2_000);
      report(`row 3: answers seen during a 10 s cut: ${JSON.stringify(seen)}; roundRobin: ${JSON.stringify(rrSeen)}`);
      expect(seen).toEqual({ client: [EU], 'ns:eu': [EU], 'ns:us': [EU] });
      expect(rrSeen).toEqual({ client: [BOTH], 'ns:eu': [BOTH], 'ns:us': [BOTH] });
      if (noWitness instanceof Error) throw noWitness;
      report(`row 3 (k8gb-like, records without the witness, staleLimit ${NO_WITNESS_STALE_LIMIT_S} s): us fails over prematurely to us after ${fmt(noWitness)}`);
    } finally {
      await net.heal('eu', 'us');
    }
    const healed = await waitForAnswers(net, FAILOVER, EU, [...ALL, NO_WITNESS], 15_000);
    report(`row 3: link healed → every nameserver answers eu: ${fmt(healed)}`);
  }, 90_000);

  it('4. eu completely down (isolated): us answers us once the quorum says DOWN (within 10 s)', async () => {
    await settled();
    await net.isolate('eu');
    const t = await waitForAnswers(net, FAILOVER, US, ['ns:us', 'client'], 10_000);
    report(`row 4: eu isolated → us answers us: ${fmt(t)}`);
    const rr = await waitForAnswers(net, ROUNDROBIN, US, ['ns:us'], 5_000);
    report(`row 4: roundRobin at us drops eu: ${fmt(rr)}`);
    // eu itself still sees its own healthy app (nobody can ask it).
    expect(await answerAt(net, 'ns:eu', FAILOVER)).toBe(EU);
  }, 60_000);

  it('6. the link heals (eu rejoins): every nameserver converges to eu within 10 s', async () => {
    await net.rejoin('eu');
    const t = await waitForAnswers(net, FAILOVER, EU, ALL, 10_000);
    report(`row 6: eu rejoined → failover answers eu: ${fmt(t)}`);
    const rr = await waitForAnswers(net, ROUNDROBIN, BOTH, ALL, 10_000);
    report(`row 6: roundRobin answers eu+us again: ${fmt(rr)}`);
  }, 60_000);

  it('5. us cut off from everything: us holds its last decision (no quorum, no change)', async () => {
    await settled();
    await net.isolate('us');
    try {
      const [seen, client] = await Promise.all([observeFor(net, FAILOVER, ['ns:us', 'ns:eu'], 12_000), observeFor(net, FAILOVER, ['client'], 12_000)]);
      const rrSeen = await observeFor(net, ROUNDROBIN, ['ns:us'], 2_000);
      report(`row 5: answers seen during 12 s of us isolated: ${JSON.stringify({ ...seen, ...client })}; roundRobin at us: ${JSON.stringify(rrSeen)}`);
      expect(seen).toEqual({ 'ns:us': [EU], 'ns:eu': [EU] });
      expect(client).toEqual({ client: [EU] });
      expect(rrSeen).toEqual({ 'ns:us': [BOTH] });
    } finally {
      await net.rejoin('us');
    }
    const t = await waitForAnswers(net, FAILOVER, EU, ALL, 10_000);
    report(`row 5/6: us rejoined → every nameserver answers eu: ${fmt(t)}`);
  }, 60_000);
});
