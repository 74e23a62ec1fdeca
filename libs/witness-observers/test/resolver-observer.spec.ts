import { ResolverObserver, type HeartbeatTarget } from '../src/index';
import { FakeDnsClient, isLiveness, type FakeReply } from './fake-dns-client';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const targets: HeartbeatTarget[] = [
  { region: 'eu', name: 'eu._witness.gslb.example.com' },
  { region: 'ap', name: 'ap._witness.gslb.example.com' },
];
const fresh = (region: string, seq = 7): FakeReply => ({ txt: [[`region=${region} seq=${seq} time=${new Date(NOW - 500).toISOString()}`]] });

function observer(replies: Record<string, FakeReply>, liveness: FakeReply = { txt: [['unbound']] }) {
  const client = new FakeDnsClient((q) => (isLiveness(q) ? liveness : (replies[q.name] ?? { rcode: 'NXDOMAIN' })));
  return { client, observer: new ResolverObserver({ name: '192.0.2.53:53', client, timeoutMs: 1000, freshness: { maxAgeMs: 10_000, maxClockSkewMs: 5_000 }, clock: () => NOW }) };
}

describe('ResolverObserver', () => {
  it.each<[string, Record<string, FakeReply>, FakeReply, [string, boolean, RegExp]]>([
    ['a fresh heartbeat', { 'eu._witness.gslb.example.com': fresh('eu') }, { txt: [['u']] }, ['FRESH', true, /sequence 7 written 0\.5 s ago/]],
    ['SERVFAIL: the resolver could not reach the region', { 'eu._witness.gslb.example.com': { rcode: 'SERVFAIL' } }, { txt: [['u']] }, ['FAILED', true, /^SERVFAIL for eu\._witness/]],
    ['NXDOMAIN: no heartbeat published', { 'eu._witness.gslb.example.com': { rcode: 'NXDOMAIN' } }, { txt: [['u']] }, ['FAILED', true, /^NXDOMAIN for eu\._witness/]],
    ['NODATA: no TXT at the name', { 'eu._witness.gslb.example.com': { txt: [] } }, { txt: [['u']] }, ['FAILED', true, /^NODATA/]],
    ['REFUSED: the resolver will not work for us, so it abstains', { 'eu._witness.gslb.example.com': { rcode: 'REFUSED' } }, { rcode: 'REFUSED' }, ['FAILED', false, /its view does not count/]],
    ['a timeout while the resolver answers the liveness question: unreachable region', { 'eu._witness.gslb.example.com': 'silence' }, { txt: [['u']] }, ['FAILED', true, /though the resolver answers other questions/]],
    ['a timeout while another heartbeat answers: unreachable region', { 'eu._witness.gslb.example.com': 'silence', 'ap._witness.gslb.example.com': fresh('ap') }, 'silence', ['FAILED', true, /though the resolver answers/]],
    ['even REFUSED to the liveness question shows the resolver is there', { 'eu._witness.gslb.example.com': 'silence' }, { rcode: 'REFUSED' }, ['FAILED', true, /though the resolver answers/]],
    ['nothing answers at all: the resolver abstains', { 'eu._witness.gslb.example.com': 'silence', 'ap._witness.gslb.example.com': 'silence' }, 'silence', ['FAILED', false, /the resolver did not reply/]],
    ['a heartbeat naming another region', { 'eu._witness.gslb.example.com': fresh('us') }, { txt: [['u']] }, ['FAILED', true, /names region "us", not "eu"/]],
  ])('%s', async (_name, replies, liveness, [result, answered, reason]) => {
    const [eu] = await observer(replies, liveness).observer.observe(targets);
    expect(eu).toMatchObject({ observer: '192.0.2.53:53', kind: 'RESOLVER', region: 'eu', result, observerAnswered: answered, observedAt: NOW });
    expect(eu?.reason).toMatch(reason);
  });

  it('asks for TXT with recursion, and the liveness question without', async () => {
    const { client, observer: o } = observer({ 'eu._witness.gslb.example.com': fresh('eu') });
    await o.observe(targets.slice(0, 1));
    expect(client.asked.map((q) => [q.name, q.class, q.recursionDesired])).toEqual([
      ['id.server', 3, false],
      ['eu._witness.gslb.example.com', 1, true],
    ]);
  });

  it('judges movement per region across rounds: a heartbeat that stops moving goes stale', async () => {
    let now = NOW;
    const client = new FakeDnsClient((q) => (isLiveness(q) ? { txt: [['u']] } : { txt: [['seq=5']] }));
    const o = new ResolverObserver({ name: 'r', client, timeoutMs: 1000, freshness: { maxAgeMs: 3_000, maxClockSkewMs: 0 }, clock: () => now });
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [eu] = await o.observe(targets.slice(0, 1));
      results.push(`${eu?.result} ${eu?.heartbeatSequence}`);
      now += 1_000;
    }
    expect(results).toEqual(['FRESH 5', 'FRESH 5', 'FRESH 5', 'FRESH 5', 'STALE 5']);
  });

  it('takes the newest of several TXT records', async () => {
    const { observer: o } = observer({ 'eu._witness.gslb.example.com': { txt: [['seq=3'], ['seq=9'], ['seq=4']] } });
    const [eu] = await o.observe(targets.slice(0, 1));
    expect(eu?.heartbeatSequence).toBe(9);
  });
});
