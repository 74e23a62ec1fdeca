import { createSocket } from 'node:dgram';
import { buildQuery, decodeMessage, exchangeTcp, RCode, RRType } from '@meridian/dns-wire';
import { RecordType } from '@meridian/proto';
import { dig } from './support/dig';
import { startDns, waitReady, type DnsProcess } from './support/dns-process';
import { fixtureSnapshot, ORIGIN, staticSet, writeSnapshotFile } from './support/zone-fixture';

// The security review's DNS points (issue #11) against the real UDP/TCP server: no zone
// transfer, no recursion, response sizes bounded (amplification), ANY minimal.
// `huge` holds 100 A records: 1,600+ bytes of answer, more than the 1232-byte default limit.
let dns: DnsProcess;
let small: DnsProcess;

function snapshotWithHuge(): string {
  const snapshot = fixtureSnapshot();
  const zone = snapshot.zones[0];
  if (zone === undefined) throw new Error('the fixture has no zone');
  zone.recordSets.push(
    staticSet('huge', 30, Array.from({ length: 100 }, (_, i): [RecordType, string] => [RecordType.RECORD_TYPE_A, `203.0.113.${i + 1}`])),
  );
  return writeSnapshotFile(7, snapshot);
}

beforeAll(async () => {
  const file = snapshotWithHuge();
  dns = await startDns({ dns: { workers: 0 }, snapshotFile: file });
  // A server configured below the default: its limit must win over a larger client buffer.
  small = await startDns({ dns: { workers: 0, ednsPayloadSize: 600 }, snapshotFile: file });
  await Promise.all([waitReady(dns.proc), waitReady(small.proc)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([dns?.proc.stop('SIGTERM'), small?.proc.stop('SIGTERM')]);
});

/** One UDP exchange with our own client, so the test sees the exact bytes on the wire. */
async function udp(port: number, query: Buffer): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no UDP reply within 3 s')), 3000);
      socket.on('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(query, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

async function tcp(port: number, query: Buffer): Promise<Buffer> {
  const [reply] = await exchangeTcp([query], { host: '127.0.0.1', port, timeoutMs: 3000 });
  if (reply === undefined) throw new Error('no TCP reply');
  return reply;
}

describe('zone transfer', () => {
  it.each([
    ['AXFR', 'axfr'],
    ['IXFR', 'ixfr=1'],
  ])('refuses %s of the zone over TCP (dig), without answering a record', async (_name, type) => {
    const r = await dig(dns.port, '+tcp', ORIGIN, type);
    expect(r.text).toMatch(/Transfer failed|REFUSED/);
    expect(r.text).not.toMatch(/\bIN\s+A\s+192\.0\.2\.10/);
  });

  it.each([
    ['AXFR', RRType.AXFR],
    ['IXFR', RRType.IXFR],
  ])('refuses %s over UDP and TCP with REFUSED and no records', async (_name, qtype) => {
    const query = buildQuery({ id: 7, name: ORIGIN, type: qtype });
    for (const reply of [await udp(dns.port, query), await tcp(dns.port, query)]) {
      const m = decodeMessage(reply);
      expect(m.rcode).toBe(RCode.REFUSED);
      expect(m.answers).toHaveLength(0);
      expect(m.authorities).toHaveLength(0);
    }
  });
});

describe('recursion', () => {
  it.each(['www.example.org', 'example.com', 'com', '.'])('answers RD=1 for %s (not ours) with REFUSED, RA clear, nothing resolved', async (name) => {
    const m = decodeMessage(await udp(dns.port, buildQuery({ id: 9, name, type: RRType.A, recursionDesired: true })));
    expect(m.rcode).toBe(RCode.REFUSED);
    expect(m.ra).toBe(false);
    expect(m.aa).toBe(false);
    expect(m.answers).toHaveLength(0);
  });

  it('dig +rec for a foreign name gets REFUSED without "ra"', async () => {
    const r = await dig(dns.port, '+rec', 'www.example.net', 'A');
    expect(r.status).toBe('REFUSED');
    expect(r.flags).not.toContain('ra');
    expect(r.text).toMatch(/recursion requested but not available/);
  });
});

describe('response size limits (amplification)', () => {
  it('keeps UDP replies without EDNS within 512 bytes, with TC set', async () => {
    const reply = await udp(dns.port, buildQuery({ id: 1, name: `huge.${ORIGIN}`, type: RRType.A }));
    expect(reply.length).toBeLessThanOrEqual(512);
    const m = decodeMessage(reply);
    expect(m.tc).toBe(true);
    expect(m.answers).toHaveLength(0);
  });

  it.each([
    ['the default 1232 when the client offers 4096', () => dns.port, 4096, 1232],
    ['the client buffer (700) when it is below ours', () => dns.port, 700, 700],
    ['the client buffer raised to 512 when it offers less (RFC 6891)', () => dns.port, 100, 512],
    ['the configured 600 when the client offers 4096', () => small.port, 4096, 600],
  ])('bounds EDNS UDP replies by %s, sets TC and keeps the OPT', async (_name, port, offered, limit) => {
    const reply = await udp(port(), buildQuery({ id: 2, name: `huge.${ORIGIN}`, type: RRType.A, edns: { payloadSize: offered } }));
    expect(reply.length).toBeLessThanOrEqual(limit);
    const m = decodeMessage(reply);
    expect(m.tc).toBe(true);
    expect(m.edns).toBeDefined();
    expect(m.edns?.payloadSize).toBe(port() === small.port ? 600 : 1232);
  });

  it('sends the whole answer when it fits the client buffer and our limit', async () => {
    // big: 40 A records, about 700 bytes: above 512, below 1232.
    const reply = await udp(dns.port, buildQuery({ id: 3, name: `big.${ORIGIN}`, type: RRType.A, edns: { payloadSize: 4096 } }));
    expect(reply.length).toBeGreaterThan(512);
    expect(reply.length).toBeLessThanOrEqual(1232);
    expect(decodeMessage(reply).answers).toHaveLength(40);
  });

  it('sends the whole of a large answer over TCP (the client proved its address)', async () => {
    const m = decodeMessage(await tcp(dns.port, buildQuery({ id: 4, name: `huge.${ORIGIN}`, type: RRType.A })));
    expect(m.tc).toBe(false);
    expect(m.answers).toHaveLength(100);
  });

  it('answers ANY at the apex with one RRset only (RFC 8482), never the whole node', async () => {
    const query = buildQuery({ id: 5, name: ORIGIN, type: RRType.ANY, edns: { payloadSize: 4096 } });
    const reply = await udp(dns.port, query);
    const m = decodeMessage(reply);
    expect(new Set(m.answers.map((a) => a.type)).size).toBe(1);
    // The apex holds SOA, NS and TXT: a full ANY would carry all three.
    expect(m.answers.length).toBe(1);
  });

  it('bounds the UDP amplification factor (bytes out / bytes in) of every name in the zone by limit / smallest query', async () => {
    const names = ['', 'app', 'big', 'huge', 'geo', 'weighted', 'lb', 'ns1', 'us._witness', 'missing'];
    let worst = 0;
    for (const host of names) {
      for (const type of [RRType.A, RRType.AAAA, RRType.TXT, RRType.NS, RRType.SOA, RRType.ANY]) {
        const name = host === '' ? ORIGIN : `${host}.${ORIGIN}`;
        const query = buildQuery({ id: 6, name, type, edns: { payloadSize: 4096 } });
        const reply = await udp(dns.port, query);
        expect(reply.length).toBeLessThanOrEqual(1232);
        worst = Math.max(worst, reply.length / query.length);
      }
    }
    // A 45-byte EDNS query can never get more than 1232 bytes back: at most 1232/45 ≈ 27.
    expect(worst).toBeGreaterThan(1);
    expect(worst).toBeLessThanOrEqual(1232 / 45);
  }, 30_000);
});
