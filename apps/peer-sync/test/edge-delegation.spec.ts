import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBindServer, type BindServer } from '@meridian/peer-sync-testing';
import { scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { FakeProber } from './support/fake-prober';
import { freePort, metricValue } from './support/ports';
import { RemoteSubscriber } from './support/remote-subscriber';

const ZONE = 'gslb.example.com';
const APP = 'app.gslb.example.com';
const ADDRESS: Record<string, string> = { ap: '127.0.0.13', eu: '127.0.0.11', us: '127.0.0.12' };

async function until<T>(probe: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * BIND 9 is the edge DNS: each region publishes its NS record and glue in example.com with
 * TSIG-signed RFC 2136 updates, and finds the other regions from those records (k8gb's
 * gslb-ns-<geotag>-… naming). Each region listens on its own loopback address, the one its
 * glue names, on one shared port.
 */
describe('edge delegation and discovery with BIND 9', () => {
  let bind: BindServer;
  let port: number;
  const probers: Record<string, FakeProber> = {};
  const processes: Record<string, ServiceProcess> = {};

  const config = (region: string, keyFile: string) => ({
    region,
    grpc: { host: ADDRESS[region], port },
    metrics: { host: '127.0.0.1', port: 0 },
    prober: { address: probers[region]?.address },
    peering: { plaintext: true, heartbeatSeconds: 0.3, reconnect: { initialMs: 100, maxSeconds: 0.5 } },
    edgeDns: {
      server: `127.0.0.1:${bind.port}`,
      zones: [{ zone: ZONE, parent: 'example.com' }],
      delegation: { addresses: [ADDRESS[region], `fd00::${region === 'eu' ? 11 : region === 'us' ? 12 : 13}`], ttlSeconds: 30, refreshSeconds: 2, tsig: { keyFile } },
      discovery: { intervalSeconds: 0.3, peerPort: port, forgetAfterSeconds: 600 },
    },
  });
  const start = async (region: string, keyFile = bind.keyFile(`meridian-${region}`)) => {
    processes[region] = await startService('peer-sync', { config: config(region, keyFile) });
    return processes[region];
  };
  const metrics = (region: string) => scrapeMetrics((processes[region] as ServiceProcess).metricsPort);
  const edgeResult = async (region: string, result: string) =>
    metricValue(await metrics(region), 'meridian_peer_sync_edge_updates_total', { zone: ZONE, result }) ?? 0;

  beforeAll(async () => {
    bind = await startBindServer({
      zones: [{ name: 'example.com', updateKeys: ['meridian-eu', 'meridian-us', 'meridian-ap'] }],
      keys: [{ name: 'meridian-eu' }, { name: 'meridian-us' }, { name: 'meridian-ap' }],
    });
    port = await freePort('0.0.0.0');
    probers['eu'] = await FakeProber.start('eu', { [APP]: ['10.0.0.1'] });
    probers['us'] = await FakeProber.start('us', { [APP]: ['10.1.0.1'] });
    probers['ap'] = await FakeProber.start('ap', { [APP]: ['10.2.0.1'] });
  }, 20_000);

  afterAll(async () => {
    await Promise.all(Object.values(processes).map((p) => p.stop('SIGKILL')));
    await Promise.all(Object.values(probers).map((p) => p.stop()));
    await bind?.stop();
  });

  it("publishes both regions' NS records and glue, and each finds the other there", async () => {
    await Promise.all([start('eu'), start('us')]);
    const nameservers = await until(() => bind.nameservers(ZONE), (ns) => ns.length === 2, 'both NS records');
    expect(nameservers).toEqual(['gslb-ns-eu-gslb.example.com.', 'gslb-ns-us-gslb.example.com.']);
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'A')).toEqual(['127.0.0.11']);
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'AAAA')).toEqual(['fd00::11']);
    expect(bind.digShort('gslb-ns-us-gslb.example.com', 'A')).toEqual(['127.0.0.12']);
    expect(await edgeResult('eu', 'applied')).toBe(1);

    // Found at the edge: eu dials us at its glue address, and us's targets reach eu.
    const subscriber = new RemoteSubscriber(`127.0.0.11:${port}`);
    try {
      await subscriber.waitFor(() => subscriber.targets('us', APP)?.join() === '10.1.0.1', 10_000, "us's targets in eu");
      const peers = await subscriber.listPeers();
      expect(peers.peers).toEqual([expect.objectContaining({ region: 'us', address: `127.0.0.12:${port}`, discoveredBy: 'edge-dns', connected: true })]);
    } finally {
      subscriber.close();
    }
  }, 30_000);

  it('restarts without duplicating or deleting a record', async () => {
    const zone = bind.axfr('example.com');
    const serial = bind.serial('example.com');
    expect(await (processes['eu'] as ServiceProcess).stop('SIGTERM')).toBe(0);
    await start('eu');
    await until(() => edgeResult('eu', 'unchanged'), (n) => n >= 1, "the restarted eu's first round");
    expect(await edgeResult('eu', 'applied')).toBe(0);
    expect(bind.serial('example.com')).toBe(serial);
    expect(bind.axfr('example.com')).toEqual(zone);
    expect(zone.filter((rr) => rr.includes(' NS gslb-ns-'))).toHaveLength(2);
  }, 20_000);

  it('reports a wrong TSIG key as a clear, refused update, and the zone keeps its records', async () => {
    const wrong = join(bind.dir, 'wrong-ap.key');
    writeFileSync(wrong, readFileSync(bind.keyFile('meridian-ap'), 'utf8').replace(/secret "[^"]+"/, `secret "${Buffer.alloc(32, 9).toString('base64')}"`));
    const serial = bind.serial('example.com');
    const ap = await start('ap', wrong);
    await until(() => edgeResult('ap', 'refused'), (n) => n >= 1, 'the refused update');
    const error = ap.logs.find((r) => r['msg'] === 'edge delegation not published');
    expect(error).toMatchObject({ level: 'error', outcome: 'refused', zone: ZONE, nameserver: 'gslb-ns-ap-gslb.example.com' });
    expect(String(error?.['detail'])).toMatch(/TSIG signature refused \(BADSIG\): the secret of key "meridian-ap" differs from the server's/);
    expect(bind.nameservers(ZONE)).toEqual(['gslb-ns-eu-gslb.example.com.', 'gslb-ns-us-gslb.example.com.']);
    expect(bind.serial('example.com')).toBe(serial);
    await ap.stop('SIGKILL');
    delete processes['ap'];
  }, 20_000);

  it('reports a peer that disappears from the edge DNS instead of dropping it', async () => {
    expect(await (processes['us'] as ServiceProcess).stop('SIGTERM')).toBe(0);
    delete processes['us'];
    // us is decommissioned: its delegation is removed at the edge.
    execFileSync('nsupdate', ['-k', bind.keyFile('meridian-us')], {
      input: [
        `server 127.0.0.1 ${bind.port}`,
        'zone example.com',
        `update delete ${ZONE}. NS gslb-ns-us-gslb.example.com.`,
        'update delete gslb-ns-us-gslb.example.com. A',
        'update delete gslb-ns-us-gslb.example.com. AAAA',
        'send',
        '',
      ].join('\n'),
    });
    expect(bind.nameservers(ZONE)).toEqual(['gslb-ns-eu-gslb.example.com.']);

    const subscriber = new RemoteSubscriber(`127.0.0.11:${port}`);
    try {
      const peers = await until(
        () => subscriber.listPeers(),
        (res) => (res.peers[0]?.lastError ?? '').includes('no longer listed at the edge DNS'),
        'us reported missing',
      );
      expect(peers.peers).toEqual([expect.objectContaining({ region: 'us', connected: false, discoveredBy: 'edge-dns', hosts: 1 })]);
      expect(metricValue(await metrics('eu'), 'meridian_peer_sync_peers', { kind: 'meridian', state: 'missing' })).toBe(1);
      expect((processes['eu'] as ServiceProcess).logs.map((r) => r['msg'])).toContain('peer no longer listed at the edge DNS; keeping it and its targets until it is forgotten');
      // Its last known targets stay available to records, marked disconnected.
      await subscriber.waitFor(() => subscriber.regions.get('us')?.connected === false, 5000, 'us disconnected');
      expect(subscriber.targets('us', APP)).toEqual(['10.1.0.1']);
    } finally {
      subscriber.close();
    }
  }, 20_000);
});
