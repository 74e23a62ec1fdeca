import { buildQuery, decodeMessage, exchangeTcp, RRType } from '@meridian/dns-wire';
import { dig, kdig } from './support/dig';
import { startDns, waitReady, metric, type DnsProcess } from './support/dns-process';
import { ORIGIN, writeSnapshotFile } from './support/zone-fixture';

// The real server (2 cluster workers, zone from a snapshot file) asked by dig and kdig over
// UDP and TCP, one test per point of the issue.
let dns: DnsProcess;
const VERSION = 4294967301; // 2^32 + 5: the SOA serial is the version modulo 2^32

beforeAll(async () => {
  dns = await startDns({ dns: { workers: 2 }, snapshotFile: writeSnapshotFile(VERSION) });
  await waitReady(dns.proc);
}, 30_000);

afterAll(async () => {
  await dns?.proc.stop('SIGTERM');
});

const clients = [
  ['dig', 'udp', (...a: string[]) => dig(dns.port, ...a)],
  ['dig', 'tcp', (...a: string[]) => dig(dns.port, '+tcp', ...a)],
  ['kdig', 'udp', (...a: string[]) => kdig(dns.port, ...a)],
  ['kdig', 'tcp', (...a: string[]) => kdig(dns.port, '+tcp', ...a)],
] as const;

describe.each(clients)('%s over %s', (client, _transport, ask) => {
  it('answers a rotated host authoritatively: AA set, RA clear, every target', async () => {
    const r = await ask(`app.${ORIGIN}`, 'A');
    expect(r.status).toBe('NOERROR');
    expect(r.flags).toContain('aa');
    expect(r.flags).not.toContain('ra');
    expect(r.answer.map((a) => a.data).sort()).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(r.answer.every((a) => a.ttl === 30 && a.type === 'A')).toBe(true);
  });

  it('answers AAAA from the host\'s IPv6 plan', async () => {
    const r = await ask(`app.${ORIGIN}`, 'AAAA');
    expect(r.answer).toEqual([{ name: `app.${ORIGIN}.`, ttl: 30, type: 'AAAA', data: '2001:db8::10' }]);
  });

  it('answers NXDOMAIN with the SOA in authority, TTL min(SOA TTL, minimum), serial = version mod 2^32', async () => {
    const r = await ask(`missing.${ORIGIN}`, 'A');
    expect(r.status).toBe('NXDOMAIN');
    expect(r.flags).toContain('aa');
    expect(r.answer).toEqual([]);
    expect(r.authority).toEqual([
      { name: `${ORIGIN}.`, ttl: 30, type: 'SOA', data: `ns1.${ORIGIN}. hostmaster.${ORIGIN}. 5 3600 600 86400 30` },
    ]);
  });

  it.each([
    ['a type the name lacks', `app.${ORIGIN}`, 'TXT'],
    ['an unknown type', `app.${ORIGIN}`, 'MX'],
    ['an empty non-terminal', `_witness.${ORIGIN}`, 'A'],
    ['a host with no healthy target', `down.${ORIGIN}`, 'A'],
  ])('answers NODATA with the SOA for %s', async (_what, name, type) => {
    const r = await ask(name, type);
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toEqual([]);
    expect(r.authority.map((a) => a.type)).toEqual(['SOA']);
  });

  it('answers the apex SOA and NS (with glue)', async () => {
    const soa = await ask(ORIGIN, 'SOA');
    expect(soa.answer).toEqual([{ name: `${ORIGIN}.`, ttl: 60, type: 'SOA', data: `ns1.${ORIGIN}. hostmaster.${ORIGIN}. 5 3600 600 86400 30` }]);
    const ns = await ask(ORIGIN, 'NS');
    expect(ns.answer.map((a) => a.data).sort()).toEqual([`ns1.${ORIGIN}.`, `ns2.${ORIGIN}.`]);
    expect(ns.additional.map((a) => a.data).sort()).toEqual(['192.0.2.53', '192.0.2.54']);
  });

  it('answers a host whose target is a name with a CNAME, for any type', async () => {
    for (const type of ['A', 'AAAA', 'CNAME']) {
      const r = await ask(`lb.${ORIGIN}`, type);
      expect(r.answer).toEqual([{ name: `lb.${ORIGIN}.`, ttl: 30, type: 'CNAME', data: 'abc.elb.example.net.' }]);
    }
  });

  it('serves localtargets-<host> and heartbeat TXT records as records sent them', async () => {
    const local = await ask(`localtargets-app.${ORIGIN}`, 'A');
    expect(local.answer.map((a) => a.data).sort()).toEqual(['192.0.2.10', '192.0.2.11']);
    const heartbeat = await ask(`eu._witness.${ORIGIN}`, 'TXT');
    expect(heartbeat.answer).toEqual([{ name: `eu._witness.${ORIGIN}.`, ttl: 5, type: 'TXT', data: '"heartbeat region=eu seq=1"' }]);
  });

  it('refers queries below a delegated name, without AA, with glue', async () => {
    const r = await ask(`x.us._witness.${ORIGIN}`, 'TXT');
    expect(r.status).toBe('NOERROR');
    expect(r.flags).not.toContain('aa');
    expect(r.authority).toEqual([{ name: `us._witness.${ORIGIN}.`, ttl: 300, type: 'NS', data: `ns-us.us._witness.${ORIGIN}.` }]);
    expect(r.additional.map((a) => a.data)).toEqual(['192.0.2.99']);
  });

  it('refuses names outside its zones, without AA', async () => {
    const r = await ask('www.example.org', 'A');
    expect(r.status).toBe('REFUSED');
    expect(r.flags).not.toContain('aa');
  });

  it('answers ANY minimally, with one RRset (RFC 8482)', async () => {
    const apex = await ask(ORIGIN, 'ANY');
    expect(apex.answer.map((a) => a.type)).toEqual(['SOA']);
    const host = await ask(`app.${ORIGIN}`, 'ANY');
    expect(new Set(host.answer.map((a) => a.type))).toEqual(new Set(['A']));
  });

  it('echoes EDNS with our payload size, and BADVERS for EDNS version 1', async () => {
    const r = await ask(`app.${ORIGIN}`, 'A', '+edns=0');
    expect(r.edns).toEqual({ version: 0, udp: 1232 });
    // dig retries with version 0 on BADVERS unless told not to (+noednsneg); kdig reports it.
    const bad = await ask(`app.${ORIGIN}`, 'A', '+edns=1', ...(client === 'dig' ? ['+noednsneg'] : []));
    expect(bad.status).toBe('BADVERS');
    expect(bad.edns?.version).toBe(0);
    expect(bad.answer).toEqual([]);
  });

  it('ignores unknown EDNS options', async () => {
    const r = await ask(`app.${ORIGIN}`, 'A', '+ednsopt=65001:abcd');
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toHaveLength(3);
  });

  it.each([
    ['10.1.2.0/24', '192.0.2.21', '10.1.2.0/24/16'],
    ['10.2.0.0/24', '192.0.2.22', '10.2.0.0/24/16'],
    ['2001:db8:1:2::/64', '192.0.2.21', '2001:db8:1:2::/64/48'],
  ])('answers geoip hosts from the ECS subnet %s and echoes the scope', async (subnet, address, echoed) => {
    const r = await ask(`geo.${ORIGIN}`, 'A', `+subnet=${subnet}`);
    expect(r.answer.map((a) => a.data)).toEqual([address]);
    expect(r.clientSubnet).toBe(echoed);
  });

  it('echoes ECS with scope 0 when the answer does not depend on the subnet', async () => {
    const r = await ask(`app.${ORIGIN}`, 'A', '+subnet=10.1.2.0/24');
    expect(r.clientSubnet).toBe('10.1.2.0/24/0');
  });

  it('answers geoip hosts from the source address without ECS (127.0.0.1 matches no route: the default)', async () => {
    const r = await ask(`geo.${ORIGIN}`, 'A');
    expect(r.answer.map((a) => a.data).sort()).toEqual(['192.0.2.21', '192.0.2.22']);
  });
});

describe('over UDP only', () => {
  it.each([
    ['dig', () => dig(dns.port, `big.${ORIGIN}`, 'A', '+bufsize=512', '+ignore')],
    ['kdig', () => kdig(dns.port, `big.${ORIGIN}`, 'A', '+bufsize=512', '+ignore')],
  ])('%s: a reply bigger than the client buffer is truncated (TC) and keeps its OPT', async (_c, ask) => {
    const r = await ask();
    expect(r.flags).toContain('tc');
    expect(r.answer).toEqual([]);
    expect(r.edns).toEqual({ version: 0, udp: 1232 });
  });

  it('truncates at 512 bytes without EDNS, and the TCP retry gets all 40 records', async () => {
    const r = await dig(dns.port, `big.${ORIGIN}`, 'A', '+noedns', '+ignore');
    expect(r.flags).toContain('tc');
    const full = await dig(dns.port, `big.${ORIGIN}`, 'A', '+noedns');
    expect(full.answer).toHaveLength(40);
  });

  it('preserves the 0x20 case of the question', async () => {
    const r = await dig(dns.port, 'ApP.gSlB.ExAmPlE.cOm', 'A');
    expect(r.question).toBe('ApP.gSlB.ExAmPlE.cOm.');
    expect(r.answer[0]?.name).toBe('ApP.gSlB.ExAmPlE.cOm.');
  });

  it('copies the RD bit and never sets RA', async () => {
    const r = await dig(dns.port, '+rec', `app.${ORIGIN}`, 'A');
    expect(r.flags).toEqual(expect.arrayContaining(['qr', 'aa', 'rd']));
    expect(r.flags).not.toContain('ra');
  });

  it('counts truncated replies and queries by type and rcode', async () => {
    expect(await metric(dns.proc, 'meridian_dns_responses_truncated_total')).toBeGreaterThan(0);
    expect(await metric(dns.proc, 'meridian_dns_queries_total', '{transport="udp",qtype="A",rcode="NXDOMAIN"}')).toBeGreaterThan(0);
    expect(await metric(dns.proc, 'meridian_dns_queries_total', '{transport="tcp",qtype="A",rcode="NOERROR"}')).toBeGreaterThan(0);
    expect(await metric(dns.proc, 'meridian_dns_zone_version')).toBe(VERSION);
    expect(await metric(dns.proc, 'meridian_dns_workers')).toBe(2);
    expect(await metric(dns.proc, 'meridian_dns_subscription_state', '{state="file"}')).toBe(1);
  });
});

describe('over TCP with our own client', () => {
  it('answers 200 pipelined queries sent in one write on one connection', async () => {
    const names = ['app', 'geo', 'missing', 'lb'];
    const queries = Array.from({ length: 200 }, (_, i) =>
      buildQuery({ id: i + 1, name: `${names[i % names.length]}.${ORIGIN}`, type: RRType.A, edns: { payloadSize: 1232 } }),
    );
    const replies = (await exchangeTcp(queries, { host: '127.0.0.1', port: dns.port })).map((r) => decodeMessage(r));
    expect(replies.map((r) => r.id).sort((a, b) => a - b)).toEqual(queries.map((_, i) => i + 1));
    for (const reply of replies) {
      const asked = names[(reply.id - 1) % names.length];
      expect(reply.questions[0]?.name).toBe(`${asked}.${ORIGIN}`);
      expect(reply.rcode).toBe(asked === 'missing' ? 3 : 0);
    }
  });
});
