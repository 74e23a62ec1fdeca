import { credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { GrpcServer } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { descriptorSet, type PeerMessage } from '@meridian/proto';
import { encodePeerMessage, ExchangeClient, GrpcPeerConnector, LocalTargets, PeerSync, PeerSyncMetrics, RemoteTargets, type PeerSpec } from '../src';
import { addresses, host } from './hosts';
import { eventually } from './memory-link';

interface Node {
  sync: PeerSync;
  remote: RemoteTargets;
  local: LocalTargets;
  server: GrpcServer;
  address: string;
}

async function node(region: string, peers: (addresses: Record<string, string>) => PeerSpec[], addressBook: Record<string, string>): Promise<Node> {
  const registry = createMetricsRegistry({ runtimeMetrics: false });
  const local = new LocalTargets({ region });
  local.replaceAll([host('app', [`10.${region === 'eu' ? 0 : 1}.0.1`])]);
  const remote = new RemoteTargets({ contactUpdateMs: 1000 });
  const shutdown = new AbortController();
  const sync = PeerSync.create({
    region,
    software: 'meridian/test',
    nameservers: [],
    heartbeatMs: 100,
    watchHeartbeatMs: 100,
    local,
    remote,
    get staticPeers() {
      return peers(addressBook);
    },
    connector: new GrpcPeerConnector(credentials.createInsecure()),
    k8gb: { pollMs: 1000, reader: () => ({ read: () => Promise.reject(new Error('no k8gb here')) }) },
    metrics: new PeerSyncMetrics(registry),
    logger: nullLogger,
    shutdownSignal: shutdown.signal,
  });
  const server = GrpcServer.create({ host: '127.0.0.1', port: 0, logger: nullLogger, registry, descriptorSet: descriptorSet(), services: [sync.service()], shutdownController: shutdown });
  const port = await server.start();
  addressBook[region] = `127.0.0.1:${port}`;
  return { sync, remote, local, server, address: `127.0.0.1:${port}` };
}

function hello(region: string): Buffer {
  const message: PeerMessage = { region, epoch: 'x', version: 0, body: { $case: 'hello', hello: { resumeEpoch: '', resumeVersion: 0, nameservers: [], software: 'raw' } } };
  return encodePeerMessage(message, 'request');
}

async function rawExchange(address: string, region: string): Promise<{ code: number; details: string }> {
  const client = new ExchangeClient(address, credentials.createInsecure());
  const call = client.exchange();
  const outcome = await new Promise<{ code: number; details: string }>((resolve) => {
    call.on('data', () => resolve({ code: GrpcStatus.OK, details: 'admitted' }));
    call.on('error', (err: Error & { code: number; details: string }) => resolve({ code: err.code, details: err.details }));
    call.write(hello(region));
  });
  call.cancel();
  client.close();
  return outcome;
}

describe('PeerSync over gRPC', () => {
  const book: Record<string, string> = {};
  let eu: Node;
  let us: Node;

  beforeAll(async () => {
    us = await node('us', (b) => [{ region: 'eu', kind: 'meridian', address: b['eu'] ?? '', nameservers: [], source: 'static' }], book);
    eu = await node('eu', (b) => [{ region: 'us', kind: 'meridian', address: b['us'] ?? '', nameservers: [], source: 'static' }], book);
    us.sync.start();
    eu.sync.start();
  });

  afterAll(async () => {
    await Promise.all([eu.sync.stop(), us.sync.stop()]);
    await Promise.all([eu.server.drain(200), us.server.drain(200)]);
  });

  it('connects eu to us (eu dials: its geotag sorts first) and exchanges targets both ways', async () => {
    await eventually(() => us.remote.hosts('eu').length === 1 && eu.remote.hosts('us').length === 1, 3000, 'the exchange');
    expect(addresses(us.remote.hosts('eu')[0])).toEqual(['10.0.0.1']);
    expect(addresses(eu.remote.hosts('us')[0])).toEqual(['10.1.0.1']);
    expect(eu.sync.listPeers().peers).toEqual([expect.objectContaining({ region: 'us', connected: true, lastError: '', hosts: 1 })]);
  });

  it.each([
    ['a region it does not know', () => us.address, 'zz', GrpcStatus.FAILED_PRECONDITION, 'region "zz" is not a peer of "us": add it to peering.peers there'],
    ['a region it should dial itself', () => eu.address, 'us', GrpcStatus.FAILED_PRECONDITION, '"eu" dials "us", not the other way round'],
    ['a hello naming its own region', () => us.address, 'us', GrpcStatus.INVALID_ARGUMENT, 'which is this region'],
  ])('refuses %s', async (_name, address, region, code, details) => {
    const outcome = await rawExchange(address(), region);
    expect(outcome.code).toBe(code);
    expect(outcome.details).toContain(details);
  });

  it('lets a newer connection of the same region replace the old one, and the dialler comes back', async () => {
    // Without mutual TLS anything may claim to be eu; the peerIdentity check is what stops that.
    const outcome = await rawExchange(us.address, 'eu');
    expect(outcome.code).toBe(GrpcStatus.OK);
    await eventually(() => us.remote.view('eu')?.connected === true && eu.remote.view('us')?.connected === true, 5000, 'eu back');
    eu.local.apply([host('app', ['10.0.0.9'])], []);
    await eventually(() => addresses(us.remote.hosts('eu')[0])?.join() === '10.0.0.9', 3000, 'a change after the replacement');
  });
});
