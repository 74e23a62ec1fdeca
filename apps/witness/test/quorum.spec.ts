import { describeWithPrograms } from '@meridian/netns-harness';
import { lintMetricDescriptors, parseExposition } from '@meridian/metrics';
import { runServiceToExit, scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { HeartbeatWorld, ZONE } from './support/heartbeat-world';
import { is, kindName, stateName, summary, VerdictWatch } from './support/verdict-watch';

/** Fast rounds so the whole file runs in seconds; production defaults are 1 s / 3 s / 2 s. */
const TIMING = {
  intervalSeconds: 0.5,
  timeoutSeconds: 1,
  hysteresis: { downAfterSeconds: 1.5, aliveAfterSeconds: 1 },
};

function metricValue(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

function logged(proc: ServiceProcess, msg: string, region: string) {
  return proc.logs.filter((r) => r['msg'] === msg && r['region'] === region);
}

describeWithPrograms('witness judging regions through real resolvers (Unbound on loopback)', ['unbound'], () => {
  let world: HeartbeatWorld;
  let witness: ServiceProcess;
  let watch: VerdictWatch;

  beforeAll(async () => {
    world = await HeartbeatWorld.start(['eu', 'ap'], 3);
    witness = await startService('witness', {
      config: {
        region: 'us',
        streams: { heartbeatSeconds: 1 },
        witness: {
          zone: ZONE,
          regions: [{ geotag: 'us' }, { geotag: 'eu' }, { geotag: 'ap' }],
          resolvers: world.resolvers.map((r) => ({ address: r.address })),
          ...TIMING,
        },
      },
    });
    watch = new VerdictWatch(witness.grpcAddress);
  }, 60_000);

  afterAll(async () => {
    watch?.close();
    await witness?.stop('SIGKILL');
    await world?.stop();
  });

  it('decides ALIVE when a quorum of resolvers sees each region’s fresh heartbeat', async () => {
    const { verdict } = await watch.waitFor('eu', (v) => is('ALIVE', 'ALIVE')(v) && v.reachable === 3, 10_000);
    expect(verdict).toMatchObject({ quorum: 2, observers: 3, reachable: 3, unreachable: 0 });
    expect(verdict.evidence.map((o) => [kindName(o.kind), o.result])).toEqual([
      ['RESOLVER', 1],
      ['RESOLVER', 1],
      ['RESOLVER', 1],
    ]);
    expect(verdict.evidence.every((o) => o.heartbeatSequence > 0)).toBe(true);
    await watch.waitFor('ap', is('ALIVE', 'ALIVE'), 10_000);
    expect([...watch.latest.keys()].sort()).toEqual(['ap', 'eu']);
  }, 20_000);

  it('decides DOWN once a quorum reports eu unreachable for the hysteresis, when eu’s heartbeat source stops', async () => {
    world.silence('eu', true);
    const { verdict, ms } = await watch.waitFor('eu', is('DOWN', 'DOWN'), 20_000);
    process.stdout.write(`eu's nameservers silent → DOWN after ${ms} ms (interval 0.5 s, timeout 1 s, hysteresis 1.5 s)\n`);
    expect(ms).toBeGreaterThanOrEqual(1_500);
    expect(verdict.unreachable).toBeGreaterThanOrEqual(2);
    expect(verdict.evidence.filter((o) => o.result === 3).map((o) => o.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/SERVFAIL|no answer for eu\._witness\.gslb\.example\.com within 1000 ms, though the resolver answers/)]),
    );
    // No flapping on the way down: ALIVE held until the decision.
    expect(watch.history('eu').filter((s) => s !== 'UNKNOWN/UNKNOWN')).toEqual(['ALIVE/ALIVE', 'DOWN/DOWN']);
    // ap is judged on its own evidence and never moved.
    expect(stateName(watch.latest.get('ap')?.state ?? 0)).toBe('ALIVE');

    const change = logged(witness, 'verdict changed', 'eu').find((r) => r['to'] === 'DOWN');
    expect(change).toMatchObject({ level: 'warn', from: 'ALIVE', lastDecided: 'DOWN' });
    expect(change?.['reason']).toMatch(/of 3 observers report eu unreachable \(quorum 2\), held for \d+ ms \(hysteresis 1500 ms\)/);
    expect((change?.['evidence'] as unknown[]).length).toBe(3);

    const metrics = await scrapeMetrics(witness.metricsPort);
    expect(metricValue(metrics, 'splitbrain_promotions_total', 'region="eu"')).toBe(1);
    expect(metricValue(metrics, 'splitbrain_promotions_total', 'region="ap"')).toBe(0);
    expect(metricValue(metrics, 'splitbrain_quorum_reached', 'region="eu"')).toBe(1);
    expect(metricValue(metrics, 'meridian_witness_verdict_state', 'region="eu",state="DOWN"')).toBe(1);
    expect(metricValue(metrics, 'meridian_witness_verdict_state', 'region="eu",state="ALIVE"')).toBe(0);
    for (const r of world.resolvers) expect(metricValue(metrics, 'splitbrain_witness_reachable', `witness="${r.address}"`)).toBe(1);
    expect(metrics).toContain('meridian_witness_observation_latency_seconds_bucket{');
    expect(lintMetricDescriptors(parseExposition(metrics), 'witness')).toEqual([]);
  }, 30_000);

  it('decides ALIVE again after the hysteresis once eu answers', async () => {
    world.silence('eu', false);
    const { ms } = await watch.waitFor('eu', is('ALIVE', 'ALIVE'), 20_000);
    process.stdout.write(`eu answering again → ALIVE after ${ms} ms\n`);
    expect(logged(witness, 'verdict changed', 'eu').at(-1)).toMatchObject({ from: 'DOWN', to: 'ALIVE' });
  }, 30_000);

  it('goes UNKNOWN, holding ALIVE, when observers disagree without a quorum, and never decides DOWN from it', async () => {
    // Resolver 1 sees eu, resolver 2 cannot reach it, resolver 3 is gone: 1 for, 1 against, 1 abstains.
    world.silence('eu', true, [1]);
    await world.resolvers[2]?.stop();
    const { verdict } = await watch.waitFor('eu', (v) => is('UNKNOWN', 'ALIVE')(v) && v.reachable === 1 && v.unreachable === 1, 20_000);
    const third = verdict.evidence.find((o) => o.observer === world.resolvers[2]?.address);
    expect(third?.reason).toMatch(/the resolver did not reply/);
    // Several rounds later the last decision still holds.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(summary(watch.latest.get('eu'))).toMatchObject({ state: 'UNKNOWN', lastDecided: 'ALIVE' });
    const metrics = await scrapeMetrics(witness.metricsPort);
    expect(metricValue(metrics, 'splitbrain_quorum_reached', 'region="eu"')).toBe(0);
    expect(metricValue(metrics, 'splitbrain_witness_reachable', `witness="${world.resolvers[2]?.address}"`)).toBe(0);
    expect(metricValue(metrics, 'splitbrain_promotions_total', 'region="eu"')).toBe(1);
    expect(logged(witness, 'verdict changed', 'eu').at(-1)?.['reason']).toBe(
      'no quorum on eu: 1 see its heartbeat, 1 report it unreachable, 1 abstain (quorum 2 of 3); ALIVE holds',
    );
  }, 30_000);
});

describeWithPrograms('witness counting a peer witness (Observe) as an observer', ['unbound'], () => {
  let world: HeartbeatWorld;
  let peer: ServiceProcess;
  let witness: ServiceProcess;
  let watch: VerdictWatch;

  beforeAll(async () => {
    world = await HeartbeatWorld.start(['eu'], 2);
    // The peer in region ap observes eu directly at eu's own nameserver; it votes with one resolver of its own.
    peer = await startService('witness', {
      config: {
        region: 'ap',
        witness: {
          zone: ZONE,
          regions: [{ geotag: 'ap' }, { geotag: 'eu', nameservers: [world.nameservers['eu']?.address] }],
          resolvers: [{ address: world.resolvers[0]?.address }],
          ...TIMING,
        },
      },
    });
    // Resolver 2 cannot reach eu: with two resolvers alone, 1 against 1 would be no quorum.
    world.silence('eu', true, [1]);
    witness = await startService('witness', {
      config: {
        region: 'us',
        witness: {
          zone: ZONE,
          regions: [{ geotag: 'us' }, { geotag: 'eu' }],
          resolvers: world.resolvers.map((r) => ({ address: r.address })),
          peers: [{ region: 'ap', address: peer.grpcAddress }],
          ...TIMING,
        },
      },
    });
    watch = new VerdictWatch(witness.grpcAddress);
  }, 60_000);

  afterAll(async () => {
    watch?.close();
    await witness?.stop('SIGKILL');
    await peer?.stop('SIGKILL');
    await world?.stop();
  });

  it('reaches ALIVE with the peer’s vote breaking the tie', async () => {
    const { verdict } = await watch.waitFor('eu', (v) => is('ALIVE')(v) && v.unreachable === 1, 15_000);
    expect(verdict).toMatchObject({ observers: 3, quorum: 2, reachable: 2, unreachable: 1 });
    const fromPeer = verdict.evidence.find((o) => o.observer === 'ap');
    expect(fromPeer).toMatchObject({ kind: 2, result: 1 });
    expect(fromPeer?.reason).toMatch(/^ap sees: /);
  }, 20_000);

  it('reaches DOWN when the peer no longer sees eu either', async () => {
    world.nameservers['eu']?.setSilent(true);
    const { verdict } = await watch.waitFor('eu', is('DOWN', 'DOWN'), 20_000);
    expect(verdict.evidence.find((o) => o.observer === 'ap')).toMatchObject({ result: 3 });
    expect(verdict.evidence.find((o) => o.observer === 'ap')?.reason).toMatch(/ap sees: no heartbeat from eu's nameservers/);
  }, 30_000);

  it('lets a peer that cannot be asked abstain instead of voting DOWN', async () => {
    world.nameservers['eu']?.setSilent(false);
    world.silence('eu', false);
    await watch.waitFor('eu', is('ALIVE', 'ALIVE'), 20_000);
    await peer.stop('SIGKILL');
    world.silence('eu', true, [1]);
    const { verdict } = await watch.waitFor('eu', is('UNKNOWN', 'ALIVE'), 20_000);
    expect(verdict.evidence.find((o) => o.observer === 'ap')?.reason).toMatch(/peer witness ap could not be asked/);
    const metrics = await scrapeMetrics(witness.metricsPort);
    expect(metricValue(metrics, 'splitbrain_witness_reachable', 'witness="ap"')).toBe(0);
  }, 40_000);
});

describe('witness configuration', () => {
  it.each([
    [
      'a quorum that is not a majority',
      'region: us\nwitness:\n  zone: gslb.example.com\n  regions: [{geotag: us}, {geotag: eu}]\n  resolvers: [{address: "127.0.0.1:53"}, {address: "127.0.0.2:53"}, {address: "127.0.0.3:53"}, {address: "127.0.0.4:53"}]\n  quorum: 2\n',
      'witness.quorum: got 2',
      'quorum 2 of 4 is not a majority, so ALIVE and DOWN could both be reached: use at least 3',
    ],
    [
      'regions to judge but no observer',
      'region: us\nwitness:\n  zone: gslb.example.com\n  regions: [{geotag: eu}]\n',
      'witness.resolvers',
      '0 observers: configure at least one resolver or peer witness',
    ],
    [
      'a heartbeat name that cannot be derived',
      'region: us\nwitness:\n  regions: [{geotag: eu}]\n  resolvers: [{address: "127.0.0.1:53"}]\n',
      'witness.regions.0.heartbeatName',
      'is needed when witness.zone is not set',
    ],
    ['a resolver without a port', 'region: us\nwitness:\n  resolvers: [{address: "8.8.8.8"}]\n', 'witness.resolvers.0.address: got "8.8.8.8"', 'must be host:port'],
  ])('rejects %s, naming the field and the fix', async (_name, yaml, field, message) => {
    const { code, stderr } = await runServiceToExit('witness', yaml);
    expect(code).toBe(2);
    expect(stderr).toContain(field);
    expect(stderr).toContain(message);
  });
});

describe('witness peer TLS files', () => {
  it('rejects a CA file that cannot be read, naming the field, with exit code 2', async () => {
    const yaml = 'region: us\nwitness:\n  peers: [{region: eu, address: "127.0.0.1:7103", tls: {caFile: /nonexistent/ca.pem}}]\n';
    const { code, stderr } = await runServiceToExit('witness', yaml);
    expect(code).toBe(2);
    expect(stderr).toContain('witness.peers.0.tls.caFile: /nonexistent/ca.pem cannot be read (ENOENT)');
  });
});
