import type { Observation } from '@meridian/witness-quorum';
import { PeerCallError, PeerWitnessObserver, type HeartbeatTarget, type WitnessPeerClient } from '../src/index';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const targets: HeartbeatTarget[] = [
  { region: 'eu', name: 'eu._witness.gslb.example.com' },
  { region: 'us', name: 'us._witness.gslb.example.com' },
];

class FakePeer implements WitnessPeerClient {
  readonly requests: { observerRegion: string; regions: readonly string[] }[] = [];
  constructor(private readonly answer: () => Observation[] | Error) {}
  async observe(request: { observerRegion: string; regions: readonly string[] }): Promise<Observation[]> {
    this.requests.push(request);
    const answer = this.answer();
    if (answer instanceof Error) throw answer;
    return answer;
  }
  close(): void {
    // Nothing to release.
  }
}

const seen = (region: string, result: Observation['result'], reason: string): Observation => ({
  observer: 'ap',
  kind: 'PEER_WITNESS',
  region,
  result,
  reason,
  observedAt: NOW - 400,
  heartbeatSequence: result === 'FRESH' ? 12 : 0,
  latencyMs: 2,
  observerAnswered: true,
});

describe('PeerWitnessObserver', () => {
  it('turns the peer’s own observations into votes, asking once for every region', async () => {
    const peer = new FakePeer(() => [seen('eu', 'FRESH', 'sequence moved 11 → 12'), seen('us', 'FAILED', 'no heartbeat from us')]);
    const o = new PeerWitnessObserver({ peerRegion: 'ap', selfRegion: 'us', client: peer, timeoutMs: 1000, clock: () => NOW });
    const [eu, us] = await o.observe(targets);
    expect(peer.requests).toEqual([{ observerRegion: 'us', regions: ['eu', 'us'] }]);
    expect(eu).toMatchObject({ observer: 'ap', kind: 'PEER_WITNESS', result: 'FRESH', reason: 'ap sees: sequence moved 11 → 12', observedAt: NOW - 400, heartbeatSequence: 12, observerAnswered: true });
    expect(us).toMatchObject({ result: 'FAILED', observerAnswered: true, reason: 'ap sees: no heartbeat from us' });
  });

  it('abstains on every region when the peer cannot be asked', async () => {
    const peer = new FakePeer(() => new PeerCallError('10.0.0.9:7103', 'UNAVAILABLE', 'connection refused'));
    const o = new PeerWitnessObserver({ peerRegion: 'ap', selfRegion: 'us', client: peer, timeoutMs: 1000, clock: () => NOW });
    const observations = await o.observe(targets);
    expect(observations.map((x) => [x.region, x.result, x.observerAnswered])).toEqual([
      ['eu', 'FAILED', false],
      ['us', 'FAILED', false],
    ]);
    expect(observations[0]?.reason).toBe('peer witness ap could not be asked (10.0.0.9:7103: UNAVAILABLE: connection refused): no view of eu');
  });

  it('abstains on a region the peer has no observation of', async () => {
    const peer = new FakePeer(() => [seen('eu', 'FRESH', 'ok')]);
    const o = new PeerWitnessObserver({ peerRegion: 'ap', selfRegion: 'us', client: peer, timeoutMs: 1000, clock: () => NOW });
    const [, us] = await o.observe(targets);
    expect(us).toMatchObject({ region: 'us', observerAnswered: false });
    expect(us?.reason).toMatch(/has no observation of us/);
  });
});
