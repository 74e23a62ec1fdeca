import { status as GrpcStatus } from '@grpc/grpc-js';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import type { PeerMessage } from '@meridian/proto';
import { addresses, host } from '../test/hosts';
import { eventually, memoryLinkPair } from '../test/memory-link';
import { decodePeerMessage, encodePeerMessage } from './exchange-codec';
import { LocalTargets } from './local-targets';
import { PeerSession, type PeerSessionOptions, type SessionEnd } from './peer-session';
import { PeerSyncMetrics } from './peer-sync-metrics';
import { RemoteTargets } from './remote-targets';

interface Region {
  name: string;
  local: LocalTargets;
  remote: RemoteTargets;
  metrics: PeerSyncMetrics;
}

function region(name: string): Region {
  return {
    name,
    local: new LocalTargets({ region: name }),
    remote: new RemoteTargets({ contactUpdateMs: 1000 }),
    metrics: new PeerSyncMetrics(createMetricsRegistry({ runtimeMetrics: false })),
  };
}

function session(self: Region, role: 'dialer' | 'acceptor', link: PeerSessionOptions['link'], extra: Partial<PeerSessionOptions> = {}): PeerSession {
  return new PeerSession({
    role,
    self: self.name,
    ...(role === 'dialer' ? { expectedPeer: 'us' } : {}),
    link,
    local: self.local,
    remote: self.remote,
    heartbeatMs: 50,
    nameservers: [`gslb-ns-${self.name}-gslb.example.com`],
    software: 'meridian/test',
    metrics: self.metrics,
    logger: nullLogger,
    ...extra,
  });
}

async function received(metrics: PeerSyncMetrics, kind: string): Promise<number> {
  const values = (await metrics.messages.get()).values;
  return values.filter((v) => v.labels['direction'] === 'received' && v.labels['kind'] === kind).reduce((n, v) => n + v.value, 0);
}

describe('PeerSession', () => {
  let eu: Region;
  let us: Region;
  const running: PeerSession[] = [];
  const connect = (extra: { dialer?: Partial<PeerSessionOptions>; acceptor?: Partial<PeerSessionOptions> } = {}) => {
    const pair = memoryLinkPair();
    const dialer = session(eu, 'dialer', pair.dialer, extra.dialer);
    const acceptor = session(us, 'acceptor', pair.acceptor, extra.acceptor);
    running.push(dialer, acceptor);
    const ends = { dialer: dialer.run(), acceptor: acceptor.run() };
    return { pair, dialer, acceptor, ends };
  };

  beforeEach(() => {
    eu = region('eu');
    us = region('us');
    eu.local.replaceAll([host('app', ['10.0.0.1'])]);
    us.local.replaceAll([host('app', ['10.1.0.1']), host('db', ['10.1.0.2'])]);
  });

  afterEach(() => {
    for (const s of running.splice(0)) s.close('test over');
  });

  it('exchanges snapshots both ways, then each change as a delta', async () => {
    const { dialer, acceptor } = connect();
    await eventually(() => us.remote.hosts('eu').length === 1 && eu.remote.hosts('us').length === 2, 2000, 'both snapshots');
    expect(dialer.isEstablished && acceptor.isEstablished).toBe(true);
    expect(us.remote.view('eu')).toMatchObject({ connected: true, hosts: 1 });
    expect(addresses(us.remote.hosts('eu')[0])).toEqual(['10.0.0.1']);
    expect(us.remote.hosts('eu')[0]?.region).toBe('eu');

    eu.local.apply([host('app', ['10.0.0.2'])], []);
    await eventually(() => addresses(us.remote.hosts('eu')[0])?.join() === '10.0.0.2', 2000, 'the delta');
    expect(us.remote.position('eu')).toEqual({ epoch: eu.local.stream.epoch, version: 2 });
    expect(await received(us.metrics, 'delta')).toBe(1);
    expect(await received(us.metrics, 'snapshot')).toBe(1);
  });

  it('resumes a new session with the deltas missed while cut off, not a snapshot', async () => {
    const first = connect();
    await eventually(() => us.remote.hosts('eu').length === 1, 2000, 'the first snapshot');
    first.pair.cut('link cut');
    const ends = await Promise.all([first.ends.dialer, first.ends.acceptor]);
    expect(ends.map((e: SessionEnd) => e.reason)).toEqual(['link cut', 'link cut']);

    eu.local.apply([host('app', ['10.0.0.3'])], []);
    eu.local.apply([host('web', ['10.0.0.4'])], []);
    connect();
    await eventually(() => us.remote.hosts('eu').length === 2, 2000, 'the missed deltas');
    expect(us.remote.hosts('eu').map((h) => [h.host, addresses(h)?.join()])).toEqual([
      ['app', '10.0.0.3'],
      ['web', '10.0.0.4'],
    ]);
    expect(await received(us.metrics, 'snapshot')).toBe(1);
    expect(await received(us.metrics, 'delta')).toBe(2);
  });

  it('sends only heartbeats until the local prober has synced: never an empty snapshot', async () => {
    const lateEu = region('eu');
    eu = lateEu;
    const { dialer } = connect();
    await eventually(() => dialer.isEstablished, 1000, 'the hellos');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await received(us.metrics, 'heartbeat')).toBeGreaterThan(0);
    expect(await received(us.metrics, 'snapshot')).toBe(0);
    lateEu.local.replaceAll([host('app', ['10.0.0.7'])]);
    await eventually(() => us.remote.hosts('eu').length === 1, 2000, 'the snapshot after sync');
  });

  it('ends with the refusal when the acceptor does not admit the dialer', async () => {
    const { ends } = connect({ acceptor: { admit: () => ({ code: GrpcStatus.FAILED_PRECONDITION, details: 'region "eu" is not a peer of "us"' }) } });
    const [dialerEnd, acceptorEnd] = await Promise.all([ends.dialer, ends.acceptor]);
    expect(dialerEnd).toEqual({ region: 'us', established: false, reason: 'region "eu" is not a peer of "us"' });
    expect(acceptorEnd.established).toBe(false);
    expect(us.remote.view('eu')).toBeUndefined();
  });

  it('ends when the region that answers is not the one dialled', async () => {
    const ap = region('ap');
    ap.local.replaceAll([]);
    const pair = memoryLinkPair();
    const dialer = session(eu, 'dialer', pair.dialer);
    const acceptor = session(ap, 'acceptor', pair.acceptor);
    running.push(dialer, acceptor);
    const [end] = await Promise.all([dialer.run(), acceptor.run()]);
    expect(end.reason).toBe('dialled region "us" but "ap" answered: check the peer\'s address');
  });

  describe('against a hand-driven peer', () => {
    const drive = () => {
      const pair = memoryLinkPair();
      const acceptor = session(us, 'acceptor', pair.acceptor);
      running.push(acceptor);
      const end = acceptor.run();
      const sent: PeerMessage[] = [];
      pair.dialer.onData((frame) => sent.push(decodePeerMessage(frame, 'response')));
      const send = (message: PeerMessage) => pair.dialer.write(encodePeerMessage(message, 'request'));
      return { end, sent, send };
    };
    const hello: PeerMessage = { region: 'eu', epoch: 'e1', version: 1, body: { $case: 'hello', hello: { resumeEpoch: '', resumeVersion: 0, nameservers: [], software: 'hand' } } };

    it('ends a session whose delta does not follow the last applied version, and asks for a snapshot next time', async () => {
      const { end, send } = drive();
      await send(hello);
      await send({ region: 'eu', epoch: 'e1', version: 1, body: { $case: 'snapshot', snapshot: { hosts: [host('app', ['10.0.0.1'])] } } });
      await send({ region: 'eu', epoch: 'e1', version: 3, body: { $case: 'delta', delta: { upserted: [host('app', ['10.0.0.3'])], removedHosts: [] } } });
      expect((await end).reason).toBe('delta e1@3 does not follow e1@1; the next session starts from a snapshot');
      expect(us.remote.position('eu')).toEqual({ epoch: '', version: 0 });
      expect(addresses(us.remote.hosts('eu')[0])).toEqual(['10.0.0.1']);
    });

    it('answers the hello with our hello, then our snapshot, resuming the peer where it asked', async () => {
      const { sent, send } = drive();
      await send({ ...hello, body: { $case: 'hello', hello: { resumeEpoch: us.local.stream.epoch, resumeVersion: 1, nameservers: [], software: 'hand' } } });
      await eventually(() => sent.length >= 2, 1000, 'our hello and a heartbeat');
      expect(sent[0]).toMatchObject({ region: 'us', body: { $case: 'hello', hello: { resumeEpoch: '', resumeVersion: 0, nameservers: ['gslb-ns-us-gslb.example.com'], software: 'meridian/test' } } });
      // eu is already at version 1 of us: no snapshot, a heartbeat confirming the version.
      expect(sent[1]).toMatchObject({ region: 'us', version: 1, body: { $case: 'heartbeat' } });
    });

    it('ends a session silent for three heartbeat intervals', async () => {
      const { end, send } = drive();
      await send(hello);
      const started = Date.now();
      expect((await end).reason).toBe('no message for 150 ms: the peer or the link is down');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it.each([
      ['a first message that is not a hello', { region: 'eu', epoch: 'e1', version: 1, body: { $case: 'heartbeat', heartbeat: { intervalMs: 50, sentAt: undefined } } } as PeerMessage, 'the first message must be a hello, not heartbeat'],
    ])('ends on %s', async (_name, message, reason) => {
      const { end, send } = drive();
      await send(message);
      expect((await end).reason).toBe(reason);
    });
  });
});
