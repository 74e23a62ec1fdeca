import { createMetricsRegistry } from '@meridian/metrics';
import { ObserveRequest, ObserveResponse, type WitnessServiceServer } from '@meridian/proto';
import type { Observation } from '@meridian/witness-quorum';
import { createWitnessService } from '../src/index';
import { CaptureLogger } from './capture-logger';
import { ScriptedObserver, policy } from './fixtures';

function service(observers: ScriptedObserver[], direct?: ScriptedObserver) {
  const registry = createMetricsRegistry({ runtimeMetrics: false });
  const drain = new AbortController();
  let firstRounds = 0;
  const witness = createWitnessService({
    options: {
      region: 'us',
      judged: [{ region: 'eu', name: 'eu._witness.gslb.example.com' }],
      observed: [
        { region: 'eu', name: 'eu._witness.gslb.example.com' },
        { region: 'us', name: 'us._witness.gslb.example.com' },
      ],
      intervalMs: 20,
      policy,
    },
    observers,
    ...(direct ? { direct } : {}),
    clock: Date.now,
    logger: new CaptureLogger(),
    registry,
    heartbeatMs: 1000,
    shutdownSignal: drain.signal,
    onFirstRound: () => (firstRounds += 1),
  });
  return { witness, registry, firstRounds: () => firstRounds };
}

function callObserve(implementation: WitnessServiceServer, regions: string[]): Promise<ObserveResponse> {
  return new Promise((resolve, reject) => {
    const call = { request: ObserveRequest.fromPartial({ observerRegion: 'ap', regions }) } as Parameters<WitnessServiceServer['observe']>[0];
    implementation.observe(call, (err, response) => (err ? reject(err) : resolve(response as ObserveResponse)));
  });
}

describe('the observation loop and the handlers over it', () => {
  it('asks every observer once per round, never overlapping rounds, and stops when asked', async () => {
    const observers = ['r1', 'r2', 'r3'].map((n) => new ScriptedObserver(n, Date.now));
    (observers[0] as ScriptedObserver).delayMs = 50;
    const { witness, firstRounds } = service(observers);
    witness.loop.start();
    for (const started = Date.now(); (observers[0]?.calls ?? 0) < 3 && Date.now() - started < 10_000; ) await new Promise((r) => setTimeout(r, 10));
    await witness.loop.stop();
    const calls = observers.map((o) => o.calls);
    expect(calls[0]).toBeGreaterThanOrEqual(3);
    expect(new Set(calls).size).toBe(1);
    expect(observers[0]?.maxInFlight).toBe(1);
    expect(firstRounds()).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(observers.map((o) => o.calls)).toEqual(calls);
    expect(witness.board.get('eu')).toMatchObject({ state: 'ALIVE', reachable: 3 });
  });

  it('answers Observe with this region’s own latest observations, not the voters’', async () => {
    const direct = new ScriptedObserver('us', Date.now);
    direct.results.set('eu', 'FAILED');
    const { witness } = service([new ScriptedObserver('r1', Date.now)], direct);
    expect((await callObserve(witness.implementation, [])).observations).toEqual([]);
    await witness.loop.round();
    const all = await callObserve(witness.implementation, []);
    expect(all.observations.map((o: { observer: string; region: string; result: number }) => [o.observer, o.region, o.result])).toEqual([
      ['us', 'eu', 3],
      ['us', 'us', 1],
    ]);
    const some = await callObserve(witness.implementation, ['us', 'nowhere']);
    expect(some.observations.map((o: { region: string }) => o.region)).toEqual(['us']);
  });

  it('keeps judging when an observer throws (a bug), logging it', async () => {
    const broken = new ScriptedObserver('r1', Date.now);
    broken.observe = async (): Promise<Observation[]> => {
      throw new Error('boom');
    };
    const { witness } = service([broken, new ScriptedObserver('r2', Date.now), new ScriptedObserver('r3', Date.now)]);
    await witness.loop.round();
    expect(witness.board.get('eu')).toMatchObject({ state: 'ALIVE', reachable: 2 });
  });
});
