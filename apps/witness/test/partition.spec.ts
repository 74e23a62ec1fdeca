import { stringify } from 'yaml';
import { describeWithNetns, Network, type Forward } from '@meridian/netns-harness';
import { appEntry } from '@meridian/testing';
import { is, kindName, summary, VerdictWatch } from './support/verdict-watch';

/**
 * The witness on the multi-region network: regions eu and us in their own namespaces with
 * their nameservers, three witness resolvers (Unbound) resolving from the root through the
 * edge BIND, and a witness in each region. The us witness's verdict on eu is watched from
 * the test through a forwarded port. These are the witness's rows of the split-brain table.
 */
describeWithNetns('witness on the multi-region network: partitions versus a region going down', () => {
  let net: Network;
  let forward: Forward;
  let watch: VerdictWatch;

  const witnessConfig = (region: string, peer: string) => ({
    region,
    grpc: { host: '0.0.0.0', port: 7103 },
    metrics: { host: '127.0.0.1', port: 9103 },
    witness: {
      zone: net.zone,
      regions: Object.values(net.regions).map((r) => ({ geotag: r.geotag, nameservers: [`${r.address}:53`] })),
      resolvers: net.witnessResolvers.map((w) => ({ address: `${w.address}:53` })),
      peers: [{ region: peer, address: `${net.region(peer).address}:7103` }],
      intervalSeconds: 1,
      timeoutSeconds: 1,
      hysteresis: { downAfterSeconds: 2, aliveAfterSeconds: 1 },
    },
  });

  beforeAll(async () => {
    net = await Network.create({ regions: ['eu', 'us'], clientResolver: false });
    for (const [region, peer] of [
      ['eu', 'us'],
      ['us', 'eu'],
    ] as const) {
      await net.startResponder(region, net.regionZone(region));
      const config = net.writeFile(`${region}/witness.yaml`, stringify(witnessConfig(region, peer)));
      await net.start(region, 'witness', process.execPath, [appEntry('witness'), '--config', config], { ready: /"service started"/ });
    }
    forward = await net.forward('us', 7103);
    watch = new VerdictWatch(forward.address);
  }, 60_000);

  afterAll(async () => {
    watch?.close();
    await net?.destroy();
  }, 30_000);

  const eu = (test: Parameters<VerdictWatch['waitFor']>[1], timeoutMs = 20_000) => watch.waitFor('eu', test, timeoutMs);

  it('sees eu ALIVE through the three witness resolvers and eu’s own witness', async () => {
    const { verdict } = await eu((v) => is('ALIVE', 'ALIVE')(v) && v.reachable === 4);
    expect(verdict).toMatchObject({ observers: 4, quorum: 3 });
    expect(verdict.evidence.map((o) => kindName(o.kind)).sort()).toEqual(['PEER_WITNESS', 'RESOLVER', 'RESOLVER', 'RESOLVER']);
  }, 30_000);

  it('keeps eu ALIVE when only the eu ↔ us link is cut: the witnesses still see it', async () => {
    await net.cut('eu', 'us');
    // eu's witness can no longer be asked: it abstains, and the resolvers still carry the quorum.
    const { verdict } = await eu((v) => v.evidence.some((o) => o.observer === 'eu' && /could not be asked/.test(o.reason)));
    expect(summary(verdict)).toMatchObject({ state: 'ALIVE', lastDecided: 'ALIVE', reachable: 3, unreachable: 0 });
    await new Promise((r) => setTimeout(r, 4_000));
    expect(summary(watch.latest.get('eu'))).toMatchObject({ state: 'ALIVE', lastDecided: 'ALIVE' });
    expect(watch.history('eu').filter((s) => s !== 'UNKNOWN/UNKNOWN')).toEqual(['ALIVE/ALIVE']);
    await net.heal('eu', 'us');
  }, 30_000);

  it('decides eu DOWN when eu is cut off from everything (a region down, seen by a quorum)', async () => {
    await eu((v) => is('ALIVE')(v) && v.reachable === 4);
    await net.isolate('eu');
    const { ms, verdict } = await eu(is('DOWN', 'DOWN'));
    process.stdout.write(`eu isolated → us's witness decided DOWN after ${ms} ms (interval 1 s, timeout 1 s, hysteresis 2 s)\n`);
    expect(verdict.unreachable).toBeGreaterThanOrEqual(3);
    await net.rejoin('eu');
    const back = await eu(is('ALIVE', 'ALIVE'), 30_000);
    process.stdout.write(`eu rejoined → ALIVE again after ${back.ms} ms\n`);
  }, 60_000);

  it('holds its last decision when us itself is cut off from everything: no quorum, no change', async () => {
    await eu((v) => is('ALIVE')(v) && v.reachable >= 3);
    await net.isolate('us');
    const { verdict } = await eu(is('UNKNOWN', 'ALIVE'));
    expect(verdict).toMatchObject({ reachable: 0, unreachable: 0 });
    expect(verdict.evidence.every((o) => /did not reply|could not be asked/.test(o.reason))).toBe(true);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(summary(watch.latest.get('eu'))).toMatchObject({ state: 'UNKNOWN', lastDecided: 'ALIVE' });
    await net.rejoin('us');
    await eu(is('ALIVE', 'ALIVE'), 30_000);
  }, 60_000);
});
