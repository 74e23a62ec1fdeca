import { HealthState } from '@meridian/proto';
import { startK8gbDnsServer, type K8gbDnsServer } from '@meridian/peer-sync-testing';
import { scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { FakeProber } from './support/fake-prober';
import { metricValue } from './support/ports';
import { RemoteSubscriber } from './support/remote-subscriber';

const APP = 'app.gslb.example.com';
const DB = 'db.gslb.example.com';

/** A k8gb region (a tiny DNS server answering localtargets-<host>) read by a Meridian region. */
describe('a k8gb peer read over DNS', () => {
  let k8gb: K8gbDnsServer;
  let prober: FakeProber;
  let us: ServiceProcess;
  let subscriber: RemoteSubscriber;

  beforeAll(async () => {
    k8gb = await startK8gbDnsServer('gslb.example.com');
    k8gb.setTargets(APP, ['10.9.0.1', '10.9.0.2', 'fd00::9']);
    prober = await FakeProber.start('us', { [APP]: ['10.1.0.1'], [DB]: ['10.1.0.2'] });
    us = await startService('peer-sync', {
      config: {
        region: 'us',
        prober: { address: prober.address },
        k8gb: { pollSeconds: 0.2, timeoutMs: 300 },
        peering: { peers: [{ region: 'legacy', kind: 'k8gb', nameservers: [k8gb.address] }] },
      },
    });
    subscriber = new RemoteSubscriber(us.grpcAddress);
  }, 20_000);

  afterAll(async () => {
    subscriber?.close();
    await us?.stop('SIGKILL');
    await prober?.stop();
    await k8gb?.stop();
  });

  it("turns the k8gb region's localtargets answers into remote targets", async () => {
    await subscriber.waitFor(() => subscriber.targets('legacy', APP)?.length === 3, 5000, "legacy's targets");
    expect(subscriber.targets('legacy', APP)).toEqual(['10.9.0.1', '10.9.0.2', 'fd00::9']);
    const app = subscriber.regions.get('legacy')?.hosts.get(APP);
    expect(app).toMatchObject({ region: 'legacy', serviceHealth: HealthState.HEALTH_STATE_HEALTHY });
    // k8gb publishes localtargets only while the host is healthy there: NXDOMAIN is unhealthy.
    expect(subscriber.regions.get('legacy')?.hosts.get(DB)).toMatchObject({ serviceHealth: HealthState.HEALTH_STATE_UNHEALTHY, targets: [] });
    expect(subscriber.regions.get('legacy')?.connected).toBe(true);
    // Asked the way k8gb asks: A (and AAAA) for localtargets-<host>.
    expect(k8gb.queries).toEqual(expect.arrayContaining([`localtargets-${APP} A`, `localtargets-${APP} AAAA`, `localtargets-${DB} A`]));
  });

  it('follows a change in the k8gb region, and a host that turns healthy there', async () => {
    k8gb.setTargets(APP, ['10.9.0.3']);
    k8gb.setTargets(DB, ['10.9.0.4']);
    await subscriber.waitFor(() => subscriber.targets('legacy', APP)?.join() === '10.9.0.3' && subscriber.targets('legacy', DB)?.join() === '10.9.0.4', 5000, 'the change');
  });

  it('marks the region disconnected when its nameservers stop answering, keeping its last targets', async () => {
    await k8gb.stop();
    await subscriber.waitFor(() => subscriber.regions.get('legacy')?.connected === false, 5000, 'legacy disconnected');
    expect(subscriber.targets('legacy', APP)).toEqual(['10.9.0.3']);
    const peers = await subscriber.listPeers();
    expect(peers.peers).toEqual([
      expect.objectContaining({ region: 'legacy', kind: 2, connected: false, address: k8gb.address, lastError: expect.stringContaining('no nameserver answered localtargets-') }),
    ]);
    const text = await scrapeMetrics(us.metricsPort);
    expect(metricValue(text, 'meridian_peer_sync_k8gb_queries_total', { peer: 'legacy', result: 'unreachable' })).toBeGreaterThan(0);
    expect(metricValue(text, 'meridian_peer_sync_peer_up', { peer: 'legacy', kind: 'k8gb' })).toBe(0);
  });
});
