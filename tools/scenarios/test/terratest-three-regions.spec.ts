import { describeWithNetns, Network } from '@meridian/netns-harness';
import { answerOf, askRepeatedly, NODATA, reporter, type Vantage } from './support/answers';
import { measureStep } from './support/steps';
import { type GslbHost, type RegionServices, startRegions, target, targetsOf } from './support/topology';
import { shares, weightBands } from './support/weights';

/**
 * k8gb's terratest round-robin and weight scenarios (terratest/test/
 * k8gb_abstract_full_roundrobin_test.go; k8gb_weight_test.go only checks that the weights and
 * every target reach the DNSEndpoint, here the weights are measured at the client) with three
 * regions, eu, us and za, on the multi-region network: each region with a sample app and
 * Meridian's five services, the edge BIND, three witness resolvers, the client resolver. Apps
 * are killed with SIGKILL and started again one by one; every step is timed from the action
 * to the expected answer at every vantage point and bounded by 15 s.
 */
const report = reporter('terratest-3');
const ALL3: Vantage[] = ['client', 'ns:eu', 'ns:us', 'ns:za'];
const name = (label: string) => `${label}.gslb.example.com`;
const ROUND_ROBIN = name('roundrobin');
const WEIGHTED = name('weighted');
const GEO = name('geoip');
const WEIGHTS = { eu: 60, us: 30, za: 10 };
const SUBNETS = { eu: '10.1.0.0/16', us: '10.2.0.0/16', za: '10.3.0.0/16' };
/** eu's nearest region is za, not us (which comes first in the network's order). */
const PROXIMITY = { eu: ['za', 'us'], us: ['eu', 'za'], za: ['eu', 'us'] };
const NAMESERVERS: Vantage[] = ['ns:eu', 'ns:us', 'ns:za'];
const HOSTS: GslbHost[] = [
  { name: 'roundrobin', host: ROUND_ROBIN, strategy: { type: 'roundRobin' }, annotations: { 'meridian.io/when-all-unhealthy': 'empty' } },
  // reorderAll (k8gb's behaviour): every healthy target in every answer, the drawn region's first.
  { name: 'weighted', host: WEIGHTED, strategy: { type: 'roundRobin', weight: WEIGHTS }, annotations: { 'meridian.io/weighted-mode': 'reorderAll' } },
  { name: 'geoip', host: GEO, strategy: { type: 'geoip' }, annotations: { 'meridian.io/when-all-unhealthy': 'empty' } },
];
/**
 * A client resolver that does not hide the per-query pick: no cache (`cache-max-ttl: 0`, so
 * every question goes to a region's nameserver) and no RRset rotation of its own
 * (`rrset-roundrobin: no`, Unbound's default is yes), so the order the nameserver chose is
 * the order the client gets. The client's usual resolver caches the 1 s answer and rotates it.
 */
const NO_CACHE_PORT = 5301;
const NO_CACHE: Vantage = `client:${NO_CACHE_PORT}`;
/** Questions per weight sample (see support/weights.ts for the tolerance). */
const SAMPLES = 600;

describeWithNetns("k8gb's terratest scenarios, three regions (eu, us, za)", () => {
  let net: Network;
  let regions: Record<string, RegionServices>;
  const app = (region: string) => (regions[region] as RegionServices).app;
  const kill = (region: string) => () => app(region).kill();
  const start = (region: string) => () => app(region).start();
  const step = (title: string, action: () => Promise<void>, expectations: Parameters<typeof measureStep>[4]) => measureStep(net, report, title, action, expectations);

  beforeAll(async () => {
    net = await Network.create({ regions: ['eu', 'us', 'za'] });
    regions = await startRegions(net, {
      hosts: HOSTS,
      geoCidrs: Object.entries(SUBNETS).map(([region, cidr]) => ({ cidr, region })),
      proximity: PROXIMITY,
    });
    await net.startResolver('client', { name: 'unbound-nocache', port: NO_CACHE_PORT, options: ['cache-max-ttl: 0', 'cache-max-negative-ttl: 0', 'rrset-roundrobin: no'] });
  }, 180_000);

  afterAll(async () => {
    await net?.destroy();
  }, 60_000);

  it('3. round robin: all three answered; kill eu, us, za one by one (3 → 2 → 1 → empty), start them again (1 → 2 → 3), at every nameserver and the client', async () => {
    await step('start-up', async () => undefined, [{ name: ROUND_ROBIN, expected: targetsOf('eu', 'us', 'za'), vantages: ALL3 }]);
    await step('kill eu', kill('eu'), [{ name: ROUND_ROBIN, expected: targetsOf('us', 'za'), vantages: ALL3 }]);
    await step('kill us', kill('us'), [{ name: ROUND_ROBIN, expected: targetsOf('za'), vantages: ALL3 }]);
    await step('kill za', kill('za'), [{ name: ROUND_ROBIN, expected: NODATA, vantages: ALL3 }]);
    await step('start eu', start('eu'), [{ name: ROUND_ROBIN, expected: targetsOf('eu'), vantages: ALL3 }]);
    await step('start us', start('us'), [{ name: ROUND_ROBIN, expected: targetsOf('eu', 'us'), vantages: ALL3 }]);
    await step('start za', start('za'), [{ name: ROUND_ROBIN, expected: targetsOf('eu', 'us', 'za'), vantages: ALL3 }]);
  }, 150_000);

  /**
   * Asks `SAMPLES` times and checks that every answer holds exactly the healthy regions'
   * targets (weights present) and that the first address follows the weights (honoured).
   */
  const sampleWeights = async (vantage: Vantage, weights: Record<string, number>) => {
    const started = Date.now();
    const replies = await askRepeatedly(net, vantage, WEIGHTED, SAMPLES);
    const elapsed = Date.now() - started;
    const regionOf = new Map(Object.keys(weights).map((r) => [target(r), r]));
    const firsts = replies.map((r) => regionOf.get(r.answer.find((a) => a.type === 'A')?.data ?? '') ?? `other: ${answerOf(r)}`);
    const seen = shares(firsts);
    const bands = weightBands(weights, SAMPLES);
    report(
      `weights ${JSON.stringify(weights)} at ${vantage}: first address over ${SAMPLES} queries (${elapsed} ms): ` +
        Object.entries(bands)
          .map(([r, b]) => `${r} ${((seen[r] ?? 0) * 100).toFixed(1)}% (expected ${(b.expected * 100).toFixed(0)}%, band ${(b.low * 100).toFixed(1)}–${(b.high * 100).toFixed(1)}%)`)
          .join(', '),
    );
    // Present: every reply holds every healthy region's target, nothing else.
    const everyone = targetsOf(...Object.keys(weights));
    expect(replies.filter((r) => answerOf(r) !== everyone).map(answerOf)).toEqual([]);
    // Honoured: each region's share of first places lies in its band.
    for (const [region, band] of Object.entries(bands)) {
      const share = seen[region] ?? 0;
      expect({ region, share, inBand: share >= band.low && share <= band.high }).toEqual({ region, share, inBand: true });
    }
    expect(Object.keys(seen).sort()).toEqual(Object.keys(weights).sort());
  };

  it('4. weights eu 60 / us 30 / za 10: all targets present, the first address follows the weights at the client (no-cache resolver) and at a nameserver; za down → 60/30', async () => {
    await step('all up', async () => undefined, [{ name: WEIGHTED, expected: targetsOf('eu', 'us', 'za'), vantages: [...ALL3, NO_CACHE] }]);
    await sampleWeights(NO_CACHE, WEIGHTS);
    await sampleWeights('ns:za', WEIGHTS);
    // For comparison only: the client's usual resolver serves its cached answer for 1 s and
    // rotates it by itself, so its first addresses say nothing about the weights.
    const cached = shares((await askRepeatedly(net, 'client', WEIGHTED, 200)).map((r) => r.answer.find((a) => a.type === 'A')?.data ?? answerOf(r)));
    report(`weights at the caching client resolver (not asserted): first address shares over 200 queries ${JSON.stringify(cached)}`);

    await step('kill za', kill('za'), [{ name: WEIGHTED, expected: targetsOf('eu', 'us'), vantages: [...ALL3, NO_CACHE] }]);
    await sampleWeights(NO_CACHE, { eu: WEIGHTS.eu, us: WEIGHTS.us });
    await step('start za', start('za'), [{ name: WEIGHTED, expected: targetsOf('eu', 'us', 'za'), vantages: [...ALL3, NO_CACHE] }]);
  }, 150_000);

  it('5b. geoip by proximity: each /16 gets its region; eu down → eu subnet gets za (its nearest); za down too → us; back one by one', async () => {
    const geo = (region: keyof typeof SUBNETS, answer: string) => ({ name: GEO, expected: answer, vantages: NAMESERVERS, subnet: SUBNETS[region] });
    await step('all up', async () => undefined, [geo('eu', targetsOf('eu')), geo('us', targetsOf('us')), geo('za', targetsOf('za'))]);
    await step('kill eu', kill('eu'), [geo('eu', targetsOf('za')), geo('us', targetsOf('us')), geo('za', targetsOf('za'))]);
    await step('kill za', kill('za'), [geo('eu', targetsOf('us')), geo('us', targetsOf('us')), geo('za', targetsOf('us'))]);
    await step('start eu', start('eu'), [geo('eu', targetsOf('eu')), geo('us', targetsOf('us')), geo('za', targetsOf('eu'))]);
    await step('start za', start('za'), [geo('eu', targetsOf('eu')), geo('us', targetsOf('us')), geo('za', targetsOf('za'))]);
  }, 150_000);
});
