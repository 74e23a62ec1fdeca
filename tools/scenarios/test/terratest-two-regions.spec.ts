import { describeWithNetns, Network } from '@meridian/netns-harness';
import { ask, NODATA, observeFor, reporter, type Vantage } from './support/answers';
import { measureStep } from './support/steps';
import { type GslbHost, type RegionServices, startRegions, target, targetsOf } from './support/topology';

/**
 * k8gb's terratest scenarios (the sequence of terratest/test/k8gb_full_failover_test.go; mutual
 * failover and geoip as issue #9 describes them) with two regions, eu and us, on the
 * multi-region network: each region in its own namespace with a sample app, prober,
 * peer-sync, witness, records and dns (port 53 of the region's address, delegated by the
 * edge BIND), three witness resolvers, a client resolver (Unbound from the root), and two
 * user hosts. Apps are killed with SIGKILL and started again, as terratest scales them to
 * zero and back. Every step is timed from the action to the expected answer at every vantage
 * point and bounded by 15 s.
 */
const report = reporter('terratest-2');
const EU = target('eu');
const US = target('us');
const BOTH = targetsOf('eu', 'us');
const ALL: Vantage[] = ['client', 'ns:eu', 'ns:us'];
const NAMESERVERS: Vantage[] = ['ns:eu', 'ns:us'];
const name = (label: string) => `${label}.gslb.example.com`;

const FULL = name('full-failover');
const FULL_OPEN = name('full-failover-open');
const ROUND_ROBIN = name('roundrobin');
const MUTUAL_EU = name('mutual-eu');
const MUTUAL_US = name('mutual-us');
const GEO = name('geoip');
const primary = (region: string, whenAllUnhealthy: string): GslbHost['annotations'] => ({ 'meridian.io/when-all-unhealthy': whenAllUnhealthy, 'meridian.io/failover-order': region === 'eu' ? 'eu,us' : 'us,eu' });
const HOSTS: GslbHost[] = [
  { name: 'full-failover', host: FULL, strategy: { type: 'failover', primaryGeoTag: 'eu' }, annotations: primary('eu', 'empty') },
  { name: 'full-failover-open', host: FULL_OPEN, strategy: { type: 'failover', primaryGeoTag: 'eu' }, annotations: primary('eu', 'failOpen') },
  { name: 'roundrobin', host: ROUND_ROBIN, strategy: { type: 'roundRobin' }, annotations: { 'meridian.io/when-all-unhealthy': 'empty' } },
  { name: 'mutual-eu', host: MUTUAL_EU, strategy: { type: 'failover', primaryGeoTag: 'eu' }, annotations: primary('eu', 'empty') },
  { name: 'mutual-us', host: MUTUAL_US, strategy: { type: 'failover', primaryGeoTag: 'us' }, annotations: primary('us', 'empty') },
  { name: 'geoip', host: GEO, strategy: { type: 'geoip' }, annotations: { 'meridian.io/when-all-unhealthy': 'empty' } },
];
/** The client resolver with EDNS Client Subnet (subnetcache): it sends each asker's /24 to the regions' nameservers. */
const ECS_RESOLVER_PORT = 5302;
const EU_SUBNET = '10.1.0.0/16';
const US_SUBNET = '10.2.0.0/16';

describeWithNetns("k8gb's terratest scenarios, two regions (eu, us)", () => {
  let net: Network;
  let regions: Record<string, RegionServices>;
  const app = (region: string) => (regions[region] as RegionServices).app;
  const kill = (region: string) => () => app(region).kill();
  const start = (region: string) => () => app(region).start();
  const step = (title: string, action: () => Promise<void>, expectations: Parameters<typeof measureStep>[4]) => measureStep(net, report, title, action, expectations);

  beforeAll(async () => {
    net = await Network.create({ regions: ['eu', 'us'], hosts: ['user-eu', 'user-us'] });
    const slash24 = (node: string) => `${net.node(node).address.split('.').slice(0, 3).join('.')}.0/24`;
    regions = await startRegions(net, {
      hosts: HOSTS,
      geoCidrs: [
        { cidr: EU_SUBNET, region: 'eu' },
        { cidr: US_SUBNET, region: 'us' },
        { cidr: slash24('user-eu'), region: 'eu' },
        { cidr: slash24('user-us'), region: 'us' },
      ],
    });
    await net.startResolver('client', {
      name: 'unbound-ecs',
      port: ECS_RESOLVER_PORT,
      modules: 'subnetcache iterator',
      options: [...Object.values(net.regions).map((r) => `send-client-subnet: ${r.address}`), 'max-client-subnet-ipv4: 24'],
    });
  }, 180_000);

  afterAll(async () => {
    await net?.destroy();
  }, 60_000);

  it('1. full failover (primary eu, whenAllUnhealthy empty; a failOpen twin): kill us → eu; kill eu → empty; start us → us; start eu → eu', async () => {
    await step('start-up', async () => undefined, [
      { name: FULL, expected: EU, vantages: ALL },
      { name: FULL_OPEN, expected: EU, vantages: ALL },
      { name: ROUND_ROBIN, expected: BOTH, vantages: ALL },
    ]);
    // us's app dies: roundRobin shows the moment us is dropped; the failover hosts stay on eu.
    await step('kill us', kill('us'), [{ name: ROUND_ROBIN, expected: EU, vantages: ALL }]);
    const [held, heldOpen] = await Promise.all([observeFor(net, FULL, ALL, 3_000), observeFor(net, FULL_OPEN, ALL, 3_000)]);
    report(`kill us: answers seen during 3 s: full-failover ${JSON.stringify(held)}, full-failover-open ${JSON.stringify(heldOpen)}`);
    expect(held).toEqual({ client: [EU], 'ns:eu': [EU], 'ns:us': [EU] });
    expect(heldOpen).toEqual({ client: [EU], 'ns:eu': [EU], 'ns:us': [EU] });
    // eu's app dies too: nothing is healthy. empty → NODATA; failOpen → every target.
    await step('kill eu', kill('eu'), [
      { name: FULL, expected: NODATA, vantages: ALL },
      { name: FULL_OPEN, expected: BOTH, vantages: ALL },
    ]);
    const empty = await ask(net, 'ns:us', FULL);
    expect({ status: empty.status, answer: empty.answer }).toEqual({ status: 'NOERROR', answer: [] });
    await step('start us', start('us'), [
      { name: FULL, expected: US, vantages: ALL },
      { name: FULL_OPEN, expected: US, vantages: ALL },
    ]);
    await step('start eu', start('eu'), [
      { name: FULL, expected: EU, vantages: ALL },
      { name: FULL_OPEN, expected: EU, vantages: ALL },
      { name: ROUND_ROBIN, expected: BOTH, vantages: ALL },
    ]);
  }, 120_000);

  it('2. mutual failover (mutual-eu primary eu, mutual-us primary us): kill eu → both us; restore; kill us → both eu', async () => {
    await step('all up', async () => undefined, [
      { name: MUTUAL_EU, expected: EU, vantages: ALL },
      { name: MUTUAL_US, expected: US, vantages: ALL },
    ]);
    await step('kill eu', kill('eu'), [
      { name: MUTUAL_EU, expected: US, vantages: ALL },
      { name: MUTUAL_US, expected: US, vantages: ALL },
    ]);
    await step('start eu', start('eu'), [
      { name: MUTUAL_EU, expected: EU, vantages: ALL },
      { name: MUTUAL_US, expected: US, vantages: ALL },
    ]);
    await step('kill us', kill('us'), [
      { name: MUTUAL_EU, expected: EU, vantages: ALL },
      { name: MUTUAL_US, expected: EU, vantages: ALL },
    ]);
    await step('start us', start('us'), [
      { name: MUTUAL_EU, expected: EU, vantages: ALL },
      { name: MUTUAL_US, expected: US, vantages: ALL },
    ]);
  }, 120_000);

  it('5. geoip by client subnet: ECS 10.1/16 → eu, 10.2/16 → us at each nameserver (scope echoed); eu down → eu subnet gets us; through an ECS resolver the user host picks', async () => {
    const ecsResolver = (host: string): Vantage => `${host}>client:${ECS_RESOLVER_PORT}`;
    await step('all up', async () => undefined, [
      { name: GEO, expected: EU, vantages: NAMESERVERS, subnet: EU_SUBNET },
      { name: GEO, expected: US, vantages: NAMESERVERS, subnet: US_SUBNET },
      { name: GEO, expected: EU, vantages: [ecsResolver('user-eu')], label: 'geoip from user-eu' },
      { name: GEO, expected: US, vantages: [ecsResolver('user-us')], label: 'geoip from user-us' },
      // The plain client resolver sends no ECS and its own address is in no subnet: every healthy region.
      { name: GEO, expected: BOTH, vantages: ['client'], label: 'geoip without ECS' },
    ]);
    // The reply echoes the client subnet with the scope it depends on (RFC 7871): the /16 of the table.
    for (const ns of NAMESERVERS) {
      for (const [subnet, answer] of [
        [EU_SUBNET, EU],
        [US_SUBNET, US],
        ['10.1.7.0/24', EU],
      ] as const) {
        const r = await ask(net, ns, GEO, { subnet });
        expect({ ns, subnet, answer: r.answer.map((a) => a.data), ecs: r.clientSubnet }).toEqual({ ns, subnet, answer: [answer], ecs: `${subnet}/16` });
      }
    }
    await step('kill eu', kill('eu'), [
      { name: GEO, expected: US, vantages: NAMESERVERS, subnet: EU_SUBNET },
      { name: GEO, expected: US, vantages: [ecsResolver('user-eu')], label: 'geoip from user-eu' },
    ]);
    await step('start eu', start('eu'), [
      { name: GEO, expected: EU, vantages: NAMESERVERS, subnet: EU_SUBNET },
      { name: GEO, expected: US, vantages: NAMESERVERS, subnet: US_SUBNET },
      { name: GEO, expected: EU, vantages: [ecsResolver('user-eu')], label: 'geoip from user-eu' },
    ]);
  }, 120_000);
});
