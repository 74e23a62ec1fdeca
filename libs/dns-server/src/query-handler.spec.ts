import { buildQuery, decodeMessage, Dns2ReferenceDecoder, RRType, type DnsMessage, type QueryOptions } from '@meridian/dns-wire';
import { nullLogger } from '@meridian/logging';
import { ORIGIN, zone } from '../test/support/zone';
import { ZoneHolder } from './compiled-zones';
import { QueryHandler, TCP, UDP } from './query-handler';
import { QueryStats, StatsView } from './query-stats';
import { ServingZones } from './serving-zones';
import { stateFromSnapshot } from './zone-state';

function setup(random = () => 0) {
  const serving = new ServingZones(nullLogger);
  serving.serve(stateFromSnapshot({ zones: [zone()] }), 7);
  const stats = new QueryStats();
  const handler = new QueryHandler({ zones: serving.holder, ednsPayloadSize: 1232, stats, random });
  return { serving, stats, handler };
}

const { handler, stats, serving } = setup();
const ask = (options: Partial<QueryOptions> & { name: string }, client = '127.0.0.1', transport = UDP): DnsMessage => {
  const reply = handler.handle(buildQuery({ id: 42, type: RRType.A, ...options }), transport, client);
  if (!reply) throw new Error('no reply');
  return decodeMessage(transport === TCP ? reply.subarray(2) : reply);
};
const data = (m: DnsMessage) => m.answers.map((a) => (a.data as { address?: string; name?: string }).address ?? (a.data as { name: string }).name);

describe('QueryHandler', () => {
  it.each([
    ['a rotated host', `www.${ORIGIN}`, RRType.A, 0, ['192.0.2.1', '192.0.2.2'], true],
    ['AAAA from the IPv6 plan', `www.${ORIGIN}`, RRType.AAAA, 0, ['2001:db8::1'], true],
    ['a CNAME host asked for TXT', `alias.${ORIGIN}`, RRType.TXT, 0, ['target.example.net'], true],
    ['a missing name', `nope.${ORIGIN}`, RRType.A, 3, [], true],
    ['an empty non-terminal', `b.c.${ORIGIN}`, RRType.A, 0, [], true],
    ['a name below the data', `x.a.b.c.${ORIGIN}`, RRType.A, 3, [], true],
    ['a name outside the zone', 'www.example.org', RRType.A, 5, [], false],
    ['a broken record set (SERVFAIL, not a wrong answer)', `broken.${ORIGIN}`, RRType.A, 2, [], false],
    ['AXFR', ORIGIN, RRType.AXFR, 5, [], false],
    ['a meta type (MAILA)', ORIGIN, RRType.MAILA, 4, [], false],
  ])('%s', (_name, name, type, rcode, answers, aa) => {
    const r = ask({ name, type });
    expect(r.rcode).toBe(rcode);
    expect(r.aa).toBe(aa);
    expect(r.ra).toBe(false);
    expect(data(r)).toEqual(answers);
    if (rcode === 3 || (rcode === 0 && answers.length === 0)) {
      expect(r.authorities).toEqual([
        expect.objectContaining({ name: ORIGIN, type: RRType.SOA, ttl: 20, data: expect.objectContaining({ serial: 7, minimum: 20 }) }),
      ]);
    }
  });

  it('refers below a zone cut, not authoritatively, with glue', () => {
    const r = ask({ name: `deep.sub.${ORIGIN}` });
    expect(r).toMatchObject({ rcode: 0, aa: false, answers: [] });
    expect(r.authorities.map((a) => [a.name, a.type])).toEqual([[`sub.${ORIGIN}`, RRType.NS]]);
    expect(r.additionals.map((a) => a.data)).toEqual([{ kind: 'address', address: '192.0.2.77' }]);
  });

  it('picks the rotation drawn by the injected random source', () => {
    const late = setup(() => 0.99).handler.handle(buildQuery({ id: 1, name: `www.${ORIGIN}`, type: RRType.A }), UDP, '127.0.0.1') as Buffer;
    expect(data(decodeMessage(late))).toEqual(['192.0.2.2', '192.0.2.1']);
  });

  it.each([
    ['ECS in eu', { clientSubnet: '10.1.7.0/24' }, '127.0.0.1', ['192.0.2.11'], 16],
    ['ECS in us', { clientSubnet: '10.2.0.0/16' }, '127.0.0.1', ['192.0.2.12'], 16],
    ['ECS matching nothing', { clientSubnet: '192.0.2.0/24' }, '127.0.0.1', ['192.0.2.13'], 1],
    ['ECS with source prefix 0', { clientSubnet: '0.0.0.0/0' }, '10.1.0.1', ['192.0.2.13'], 0],
    ['no ECS: the source address', {}, '10.2.3.4', ['192.0.2.12'], undefined],
    ['no ECS: a v4-mapped source address', {}, '::ffff:10.1.3.4', ['192.0.2.11'], undefined],
  ])('geoip from %s', (_name, edns, client, answers, scope) => {
    const r = ask({ name: `geo.${ORIGIN}`, edns }, client);
    expect(data(r)).toEqual(answers);
    expect(r.edns?.clientSubnet?.scopePrefix).toBe(scope);
  });

  it('echoes ECS with scope 0 for answers that do not depend on the subnet', () => {
    expect(ask({ name: `www.${ORIGIN}`, edns: { clientSubnet: '10.1.7.0/24' } }).edns?.clientSubnet).toEqual({ family: 1, sourcePrefix: 24, scopePrefix: 0, address: '10.1.7.0' });
  });

  it('answers BADVERS with OPT for EDNS version 1, and copies DO', () => {
    const r = ask({ name: `www.${ORIGIN}`, edns: { version: 1, dnssecOk: true } });
    expect(r.rcode).toBe(16);
    expect(r.answers).toEqual([]);
    expect(r.edns).toMatchObject({ version: 0, payloadSize: 1232, dnssecOk: true, extendedRcode: 1 });
  });

  it('truncates a reply over the client buffer and keeps OPT; TCP never truncates and is length-prefixed', () => {
    const udp = ask({ name: `many.${ORIGIN}`, edns: { payloadSize: 512 } });
    expect(udp).toMatchObject({ tc: true, answers: [], edns: expect.objectContaining({ payloadSize: 1232 }) });
    const plain = ask({ name: `many.${ORIGIN}` });
    expect(plain).toMatchObject({ tc: true, answers: [] });
    expect(plain.edns).toBeUndefined();
    expect(ask({ name: `many.${ORIGIN}`, edns: { payloadSize: 4096 } }).answers).toHaveLength(40);
    const raw = handler.handle(buildQuery({ id: 9, name: `many.${ORIGIN}`, type: RRType.A }), TCP, '127.0.0.1') as Buffer;
    expect(raw.readUInt16BE(0)).toBe(raw.length - 2);
    expect(decodeMessage(raw.subarray(2)).answers).toHaveLength(40);
    expect(new StatsView(stats.values).truncatedTotal).toBeGreaterThanOrEqual(2);
  });

  it('keeps the question exactly as asked (0x20) and answers ANY with one RRset', () => {
    const r = ask({ name: 'WwW.ExAmPlE.TeSt', type: RRType.ANY });
    expect(r.questions).toEqual([{ name: 'WwW.ExAmPlE.TeSt', type: RRType.ANY, class: 1 }]);
    expect(new Set(r.answers.map((a) => a.type))).toEqual(new Set([RRType.A]));
    expect(r.answers[0]?.name).toBe('WwW.ExAmPlE.TeSt');
  });

  it('drops responses and unreadable headers, NOTIMPs other opcodes, FORMERRs bad questions', () => {
    const q = buildQuery({ id: 5, name: `www.${ORIGIN}`, type: RRType.A });
    expect(handler.handle(q.subarray(0, 11), UDP, '127.0.0.1')).toBeUndefined();
    const response = Buffer.from(q);
    response[2] = (response[2] as number) | 0x80;
    expect(handler.handle(response, UDP, '127.0.0.1')).toBeUndefined();
    const notify = Buffer.from(q);
    notify[2] = 4 << 3;
    expect(decodeMessage(handler.handle(notify, UDP, '127.0.0.1') as Buffer)).toMatchObject({ id: 5, qr: true, opcode: 4, rcode: 4 });
    const twoQuestions = Buffer.from(q);
    twoQuestions.writeUInt16BE(2, 4);
    expect(decodeMessage(handler.handle(twoQuestions, UDP, '127.0.0.1') as Buffer)).toMatchObject({ id: 5, rcode: 1 });
  });

  it('answers SERVFAIL instead of throwing when its zone data is broken', () => {
    const holder = new ZoneHolder();
    Object.defineProperty(holder, 'current', { get: () => { throw new Error('boom'); } });
    const broken = new QueryHandler({ zones: holder, ednsPayloadSize: 1232, stats: new QueryStats(), random: () => 0 });
    const reply = broken.handle(buildQuery({ id: 77, name: `www.${ORIGIN}`, type: RRType.A }), UDP, '127.0.0.1');
    expect(decodeMessage(reply as Buffer)).toMatchObject({ id: 77, qr: true, rcode: 2 });
  });

  it('swaps a new version in whole: the serial and the data change together', () => {
    const before = ask({ name: ORIGIN, type: RRType.SOA });
    expect((before.answers[0]?.data as { serial: number }).serial).toBe(7);
    const z = zone();
    z.recordSets = z.recordSets.filter((s) => s.name !== `www.${ORIGIN}`);
    serving.serve(stateFromSnapshot({ zones: [z] }), 8);
    expect((ask({ name: ORIGIN, type: RRType.SOA }).answers[0]?.data as { serial: number }).serial).toBe(8);
    expect(ask({ name: `www.${ORIGIN}` }).rcode).toBe(3);
    serving.serve(stateFromSnapshot({ zones: [zone()] }), 9);
  });
});

describe('QueryHandler under fuzzing, checked against dns2', () => {
  it('answers 100,000 mutated queries with well-formed replies that dns2 reads the same way', () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const reference = new Dns2ReferenceDecoder();
    const names = [`www.${ORIGIN}`, `geo.${ORIGIN}`, `many.${ORIGIN}`, `nope.${ORIGIN}`, `deep.sub.${ORIGIN}`, 'example.org', ORIGIN];
    let replies = 0;
    let compared = 0;
    const problems: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const base = buildQuery({
        id: i & 0xffff,
        name: names[i % names.length] as string,
        type: [RRType.A, RRType.AAAA, RRType.ANY, RRType.SOA, RRType.NS, 99][i % 6] as number,
        ...(i % 3 === 0 ? { edns: { payloadSize: 512 + (i % 4000), clientSubnet: '10.1.2.0/24' } } : {}),
      });
      const msg = Buffer.from(base.subarray(0, i % 7 === 0 ? Math.floor(random() * base.length) : base.length));
      const flips = Math.floor(random() * 4);
      for (let f = 0; f < flips && msg.length > 0; f++) {
        const at = Math.floor(random() * msg.length);
        msg[at] = (msg[at] as number) ^ (1 << Math.floor(random() * 8));
      }
      const reply = handler.handle(msg, UDP, '10.1.2.3');
      // Only unreadable headers and responses are dropped.
      if (reply === undefined) {
        if (!(msg.length < 12 || ((msg[2] as number) & 0x80) !== 0)) problems.push(`${i}: no reply to ${msg.toString('hex')}`);
        continue;
      }
      replies++;
      const ours = decodeMessage(reply);
      if (!ours.qr || ours.id !== msg.readUInt16BE(0) || reply.length > 1232) problems.push(`${i}: bad header or size for ${msg.toString('hex')}`);
      if (i % 10 !== 0) continue;
      const theirs = reference.decode(reply);
      compared++;
      const same =
        theirs.ok &&
        theirs.summary.rcode === ours.rcode &&
        theirs.summary.aa === ours.aa &&
        theirs.summary.tc === ours.tc &&
        JSON.stringify(theirs.summary.answers.map((a) => [a.type, a.ttl])) === JSON.stringify(ours.answers.map((a) => [a.type, a.ttl])) &&
        JSON.stringify(theirs.summary.authorities.map((a) => a.name)) === JSON.stringify(ours.authorities.map((a) => a.name.toLowerCase()));
      if (!same) problems.push(`${i}: dns2 reads ${JSON.stringify(theirs)} for ${reply.toString('hex')}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(replies).toBeGreaterThan(50_000);
    expect(compared).toBeGreaterThan(5_000);
  }, 60_000);
});
