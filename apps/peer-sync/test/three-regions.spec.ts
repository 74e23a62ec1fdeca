import { readFileSync } from 'node:fs';
import { credentials } from '@grpc/grpc-js';
import { makeTestPki, type TestPki } from '@meridian/peer-sync-testing';
import { startService, type ServiceProcess } from '@meridian/testing';
import { FakeProber } from './support/fake-prober';
import { freePort } from './support/ports';
import { RemoteSubscriber } from './support/remote-subscriber';

const REGIONS = ['ap', 'eu', 'us'] as const;
const HOST = (region: string) => `${region}-only.gslb.example.com`;
const SHARED = 'app.gslb.example.com';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Three regions on loopback over mutual TLS, each a static peer of the other two. */
describe('three regions', () => {
  let pki: TestPki;
  const probers: Record<string, FakeProber> = {};
  const processes: Record<string, ServiceProcess> = {};
  const subscribers: Record<string, RemoteSubscriber> = {};

  beforeAll(async () => {
    pki = makeTestPki();
    const ports: Record<string, number> = {};
    for (const region of REGIONS) {
      ports[region] = await freePort();
      probers[region] = await FakeProber.start(region, { [SHARED]: [`10.${REGIONS.indexOf(region)}.0.1`], [HOST(region)]: [`10.${REGIONS.indexOf(region)}.9.9`] });
    }
    await Promise.all(
      REGIONS.map(async (region) => {
        const cert = pki.region(region);
        processes[region] = await startService('peer-sync', {
          config: {
            region,
            grpc: { host: '127.0.0.1', port: ports[region], tls: { certFile: cert.cert, keyFile: cert.key, caFile: pki.ca, requireClientCert: true } },
            prober: { address: probers[region]?.address },
            peering: {
              heartbeatSeconds: 1,
              peerIdentity: '{region}.peers.meridian',
              peers: REGIONS.filter((r) => r !== region).map((r) => ({ region: r, address: `127.0.0.1:${ports[r]}`, tlsServerName: 'localhost' })),
            },
          },
        });
      }),
    );
    const records = pki.region('records');
    for (const region of REGIONS) {
      subscribers[region] = new RemoteSubscriber(
        `localhost:${ports[region]}`,
        credentials.createSsl(readFileSync(pki.ca), readFileSync(records.key), readFileSync(records.cert)),
      );
    }
  }, 30_000);

  afterAll(async () => {
    for (const subscriber of Object.values(subscribers)) subscriber.close();
    await Promise.all(Object.values(processes).map((p) => p.stop('SIGKILL')));
    await Promise.all(Object.values(probers).map((p) => p.stop()));
  });

  it("holds, in every region, the other two regions' targets", async () => {
    for (const region of REGIONS) {
      const subscriber = subscribers[region] as RemoteSubscriber;
      const others = REGIONS.filter((r) => r !== region);
      await subscriber.waitFor(() => others.every((o) => subscriber.targets(o, HOST(o))?.length === 1 && subscriber.regions.get(o)?.connected), 10_000, `${region} to hold the others`);
      expect([...subscriber.regions.keys()].sort()).toEqual(others);
      for (const other of others) {
        expect(subscriber.targets(other, SHARED)).toEqual([`10.${REGIONS.indexOf(other)}.0.1`]);
        expect(subscriber.targets(other, HOST(other))).toEqual([`10.${REGIONS.indexOf(other)}.9.9`]);
        expect(subscriber.regions.get(other)?.hosts.has(HOST(region))).toBe(false);
      }
    }
  });

  it('carries a change in eu to the subscribers in ap and us quickly (change-to-remote-subscriber latency)', async () => {
    const latencies: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const address = `10.1.${i}.1`;
      const changedAt = (probers['eu'] as FakeProber).setHost(SHARED, [address]);
      for (const region of ['ap', 'us']) {
        const subscriber = subscribers[region] as RemoteSubscriber;
        await subscriber.waitFor(() => subscriber.targets('eu', SHARED)?.join() === address, 5000, `${address} in ${region}`);
        const seen = subscriber.changes.find((c) => c.region === 'eu' && c.upserted[SHARED]?.join() === address);
        latencies.push((seen?.at ?? Date.now()) - changedAt);
      }
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(
      `peer-sync three regions: change-to-remote-subscriber latency over ${sorted.length} deliveries: ` +
        `p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted[sorted.length - 1]} ms (target < 200 ms)\n`,
    );
    // Generous bound for a loaded CI machine; the benchmark holds the 200 ms target.
    expect(percentile(sorted, 50)).toBeLessThan(200);
  }, 60_000);
});
