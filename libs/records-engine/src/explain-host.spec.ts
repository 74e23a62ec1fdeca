import { FAILOVER_EU, host, ROUND_ROBIN, target, testEngine } from '../test/fixtures';
import { explainHost, InvalidClientSubnetError, parseClientSubnet } from './explain-host';

const ZONE = 'gslb.example.com';

describe('parseClientSubnet', () => {
  it.each([
    ['', undefined],
    ['10.1.2.3', { family: 4, bits: 32 }],
    ['10.1.0.0/16', { family: 4, bits: 16 }],
    ['2001:db8::/32', { family: 6, bits: 32 }],
    ['::ffff:10.1.0.0/112', { family: 4, bits: 16 }],
  ])('reads %p', (text, expected) => {
    const parsed = parseClientSubnet(text);
    if (expected === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject(expected);
  });

  it.each(['eu', '10.1.0.0/33', '10.1.0.0/x', '2001:db8::/129', '300.1.1.1'])('rejects %p with a message that says how to write it', (text) => {
    expect(() => parseClientSubnet(text)).toThrow(InvalidClientSubnetError);
  });
});

describe('explainHost', () => {
  function engineWith() {
    const t = testEngine();
    t.engine.applyLocal({
      kind: 'snapshot',
      hosts: [
        host(`geo.${ZONE}`, [target('10.1.0.1')], { ...ROUND_ROBIN, type: 'geoip' }),
        host(`fo.${ZONE}`, [target('10.1.0.9', false)], FAILOVER_EU),
        host(`rr.${ZONE}`, [target('10.1.0.5'), target('10.1.0.6')]),
      ],
      problems: [],
    });
    t.engine.applyRemote({
      kind: 'snapshot',
      regions: [
        {
          region: 'us',
          hosts: [host(`geo.${ZONE}`, [target('10.2.0.1')], { ...ROUND_ROBIN, type: 'geoip' }, 'us'), host(`fo.${ZONE}`, [target('10.2.0.9')], FAILOVER_EU, 'us'), host(`only-us.${ZONE}`, [target('10.2.0.7')], ROUND_ROBIN, 'us')],
          lastContactMs: t.clock.now,
          connected: true,
        },
      ],
    });
    t.engine.setRemoteLink(true);
    t.engine.flush();
    return t.engine;
  }
  const explain = (name: string, subnet = '', random01 = 0) => {
    const engine = engineWith();
    const view = engine.hostView(name);
    if (!view) throw new Error('no such host');
    return explainHost(view, subnet, { random01, geo: engine.geoTable() });
  };

  it.each([
    ['10.2.0.0/24', ['10.2.0.1'], 16, 'the client is in us'],
    ['10.9.9.9', ['10.1.0.1', '10.2.0.1'], 13, 'matches no geo route'],
  ])('geoip: a client at %s gets %j with ECS scope %i', (subnet, answer, scope, summary) => {
    const e = explain(`geo.${ZONE}`, subnet);
    expect(e.answer.map((t) => t.address).sort()).toEqual(answer);
    expect(e.ecsScope).toBe(scope);
    expect(e.summary).toContain(summary);
  });

  it('failover: says which region answers and why the primary is skipped', () => {
    const e = explain(`fo.${ZONE}`);
    expect(e.answer.map((t) => t.address)).toEqual(['10.2.0.9']);
    expect(e.summary).toBe('failover: us answers, the first region with a healthy target in the order eu > us. Answer: 10.2.0.9.');
    expect(e.regions.map((r) => [r.region, r.used, r.reason])).toEqual([
      ['eu', false, 'local region: its own health; 0/1 targets healthy; not in the answer'],
      ['us', true, 'data 0 ms old (fresh): its self-reported health; 1/1 targets healthy; in the answer; peer connected; no witness verdict (UNKNOWN)'],
    ]);
    expect(e.regions[1]?.verdict.state).toBe('UNKNOWN');
  });

  it('roundRobin: the answer of one query is the rotation the draw picks', () => {
    expect(explain(`rr.${ZONE}`, '', 0).answer.map((t) => t.address)).toEqual(['10.1.0.5', '10.1.0.6']);
    expect(explain(`rr.${ZONE}`, '', 0.9).answer.map((t) => t.address)).toEqual(['10.1.0.6', '10.1.0.5']);
    expect(explain(`rr.${ZONE}`).summary).toContain('the order rotates per query');
  });

  it("a host only a peer declares: planned with the peer's spec, and the summary says so", () => {
    const e = explain(`only-us.${ZONE}`);
    expect(e.answer.map((t) => t.address)).toEqual(['10.2.0.7']);
    expect(e.summary).toContain("The spec is us's: this region declares no usable Gslb for the host.");
  });
});
