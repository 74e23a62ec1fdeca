import { readFileSync } from 'node:fs';
import { credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { encodePeerMessage, ExchangeClient } from '@meridian/peer-exchange';
import { makeTestPki, startTcpProxy, type TcpProxy, type TestPki } from '@meridian/peer-sync-testing';
import { runServiceToExit, scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { stringify } from 'yaml';
import { FakeProber } from './support/fake-prober';
import { freePort, metricValue } from './support/ports';
import { RemoteSubscriber } from './support/remote-subscriber';

const APP = 'app.gslb.example.com';

/** Two regions on loopback with mutual TLS: eu dials us (eu sorts first) through a proxy the test can cut. */
describe('Exchange between two regions over mutual TLS', () => {
  let pki: TestPki;
  let euProber: FakeProber;
  let usProber: FakeProber;
  let us: ServiceProcess;
  let eu: ServiceProcess;
  let proxy: TcpProxy;
  let subscriber: RemoteSubscriber;

  const regionConfig = (region: string, port: number, prober: FakeProber, peers: object[]) => {
    const cert = pki.region(region);
    return {
      region,
      grpc: { host: '127.0.0.1', port, tls: { certFile: cert.cert, keyFile: cert.key, caFile: pki.ca, requireClientCert: true } },
      streams: { heartbeatSeconds: 0.5 },
      prober: { address: prober.address },
      peering: { heartbeatSeconds: 0.5, peerIdentity: '{region}.peers.meridian', reconnect: { initialMs: 100, maxSeconds: 0.5 }, peers },
    };
  };
  const clientCredentials = (pair: { cert: string; key: string }, ca = pki.ca) =>
    credentials.createSsl(readFileSync(ca), readFileSync(pair.key), readFileSync(pair.cert));

  beforeAll(async () => {
    pki = makeTestPki();
    euProber = await FakeProber.start('eu', { [APP]: ['10.0.0.1'] });
    usProber = await FakeProber.start('us', { [APP]: ['10.1.0.1'] });
    const [euPort, usPort] = [await freePort(), await freePort()];
    us = await startService('peer-sync', { config: regionConfig('us', usPort, usProber, [{ region: 'eu', address: `127.0.0.1:${euPort}` }]) });
    proxy = await startTcpProxy('127.0.0.1', usPort);
    eu = await startService('peer-sync', { config: regionConfig('eu', euPort, euProber, [{ region: 'us', address: proxy.address, tlsServerName: 'localhost' }]) });
    subscriber = new RemoteSubscriber(`localhost:${usPort}`, clientCredentials(pki.region('records')));
  }, 30_000);

  afterAll(async () => {
    subscriber?.close();
    await Promise.all([eu?.stop('SIGKILL'), us?.stop('SIGKILL')]);
    await Promise.all([proxy?.stop(), euProber?.stop(), usProber?.stop()]);
  });

  it("delivers eu's targets, and then a change of them, to a WatchRemoteTargets subscriber in us", async () => {
    await subscriber.waitFor(() => subscriber.targets('eu', APP)?.join() === '10.0.0.1', 10_000, "eu's first snapshot");
    expect(subscriber.regions.get('eu')?.connected).toBe(true);

    const changedAt = euProber.setHost(APP, ['10.0.0.2', '2001:db8::2']);
    await subscriber.waitFor(() => subscriber.targets('eu', APP)?.join() === '10.0.0.2,2001:db8::2', 5000, "eu's change");
    const seen = subscriber.changes.find((c) => c.region === 'eu' && c.upserted[APP]?.includes('10.0.0.2'));
    process.stdout.write(`peer-sync mTLS: eu change reached the us subscriber in ${(seen?.at ?? 0) - changedAt} ms\n`);

    // And the other way round, on the same stream: us's targets reach eu.
    const euSubscriber = new RemoteSubscriber(`localhost:${eu.grpcPort}`, clientCredentials(pki.region('records')));
    try {
      await euSubscriber.waitFor(() => euSubscriber.targets('us', APP)?.join() === '10.1.0.1', 5000, "us's targets in eu");
      const peers = await euSubscriber.listPeers();
      expect(peers.peers).toEqual([expect.objectContaining({ region: 'us', connected: true, discoveredBy: 'static', hosts: 1, lastError: '' })]);
    } finally {
      euSubscriber.close();
    }
  });

  it.each([
    ['a client certificate from another CA', () => clientCredentials(pki.stranger('eu')), /No connection established|Failed to connect|handshake|certificate/i],
    ['no client certificate', () => credentials.createSsl(readFileSync(pki.ca)), /No connection established|Failed to connect|handshake|certificate/i],
  ])('refuses %s during the TLS handshake', async (_name, creds, pattern) => {
    const client = new ExchangeClient(`localhost:${us.grpcPort}`, creds());
    const call = client.exchange();
    const outcome = await new Promise<{ code: number; details: string }>((resolve) => {
      call.on('data', () => resolve({ code: GrpcStatus.OK, details: 'got data' }));
      call.on('error', (err: Error & { code: number; details: string }) => resolve({ code: err.code, details: err.details }));
      call.write(encodePeerMessage({ region: 'eu', epoch: 'x', version: 0, body: { $case: 'hello', hello: { resumeEpoch: '', resumeVersion: 0, nameservers: [], software: 'test' } } }, 'request'));
    });
    client.close();
    expect(outcome.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(outcome.details).toMatch(pattern);
  });

  it('refuses a certificate of the fleet that names another region than the hello claims', async () => {
    const client = new ExchangeClient(`localhost:${us.grpcPort}`, clientCredentials(pki.region('ap')));
    const call = client.exchange();
    const outcome = await new Promise<{ code: number; details: string }>((resolve) => {
      call.on('data', () => resolve({ code: GrpcStatus.OK, details: 'got data' }));
      call.on('error', (err: Error & { code: number; details: string }) => resolve({ code: err.code, details: err.details }));
      call.write(encodePeerMessage({ region: 'eu', epoch: 'x', version: 0, body: { $case: 'hello', hello: { resumeEpoch: '', resumeVersion: 0, nameservers: [], software: 'impostor' } } }, 'request'));
    });
    client.close();
    expect(outcome).toEqual({ code: GrpcStatus.PERMISSION_DENIED, details: expect.stringContaining('must present a certificate for eu.peers.meridian') });
    // The real eu session is untouched.
    expect(subscriber.regions.get('eu')?.connected).toBe(true);
  });

  it('notices a cut link by its silent heartbeats, and resumes without losing an update made meanwhile', async () => {
    await subscriber.waitFor(() => subscriber.regions.get('eu')?.connected === true, 5000, 'eu connected');
    const before = await scrapeMetrics(us.metricsPort);
    const snapshotsBefore = metricValue(before, 'meridian_peer_sync_exchange_messages_total', { peer: 'eu', direction: 'received', kind: 'snapshot' });

    const beforeCut = subscriber.targets('eu', APP);
    proxy.cut('blackhole');
    await subscriber.waitFor(() => subscriber.regions.get('eu')?.connected === false, 5000, 'us to notice the cut');
    const cutChanges = subscriber.changes.length;
    for (const address of ['10.0.0.3', '10.0.0.4', '10.0.0.5']) {
      euProber.setHost(APP, [address]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(subscriber.targets('eu', APP)).toEqual(beforeCut);

    proxy.restore();
    await subscriber.waitFor(() => subscriber.targets('eu', APP)?.join() === '10.0.0.5' && subscriber.regions.get('eu')?.connected === true, 10_000, 'the resumed session');

    // Every change made during the cut arrived, in order: eu resumed us with the missed deltas.
    const afterCut = subscriber.changes.slice(cutChanges).filter((c) => c.region === 'eu' && c.upserted[APP]);
    expect(afterCut.map((c) => c.upserted[APP]?.join())).toEqual(['10.0.0.3', '10.0.0.4', '10.0.0.5']);
    const after = await scrapeMetrics(us.metricsPort);
    expect(metricValue(after, 'meridian_peer_sync_exchange_messages_total', { peer: 'eu', direction: 'received', kind: 'snapshot' })).toBe(snapshotsBefore);
    expect(metricValue(after, 'meridian_peer_sync_exchange_sessions_total', { peer: 'eu', role: 'acceptor', outcome: 'established' })).toBeGreaterThanOrEqual(2);
    const disconnects = us.logs.filter((r) => r['msg'] === 'peer disconnected').map((r) => r['reason']);
    expect(disconnects).toContainEqual(expect.stringContaining('no message for 1500 ms'));
  }, 30_000);

  it.each([
    ['expired', (p: TestPki) => ({ ...p.expired('eu'), caFile: p.ca }), /peering\.tls\.certFile: .* expired on 2020-01-02/],
    ['from the wrong CA', (p: TestPki) => ({ ...p.stranger('eu'), caFile: p.ca }), /peering\.tls\.caFile: .* is not signed by the CA/],
    ['missing', (p: TestPki) => ({ cert: `${p.dir}/nope.crt`, key: p.region('eu').key, caFile: p.ca }), /peering\.tls\.certFile: .*nope\.crt does not exist/],
  ])('refuses to start with a peer client certificate that is %s, naming the field', async (_name, files, message) => {
    const pair = files(pki);
    const server = pki.region('eu');
    const { code, stderr } = await runServiceToExit(
      'peer-sync',
      stringify({
        region: 'eu',
        grpc: { host: '127.0.0.1', port: 0, tls: { certFile: server.cert, keyFile: server.key, caFile: pki.ca, requireClientCert: true } },
        metrics: { host: '127.0.0.1', port: 0 },
        peering: { tls: { certFile: pair.cert, keyFile: pair.key, caFile: pair.caFile }, peers: [{ region: 'us', address: '127.0.0.1:1' }] },
      }),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('refuses to start with meridian peers but no TLS, unless plaintext is asked for', async () => {
    const { code, stderr } = await runServiceToExit('peer-sync', stringify({ region: 'eu', peering: { peers: [{ region: 'us', address: '127.0.0.1:1' }] } }));
    expect(code).toBe(2);
    expect(stderr).toContain('grpc.tls: missing');
    expect(stderr).toContain('peering.plaintext: true only for a demo');
  });
});
