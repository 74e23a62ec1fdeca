import { connect, type Socket } from 'node:net';
import { buildQuery, decodeMessage, exchangeTcp, RRType } from '@meridian/dns-wire';
import { nullLogger } from '@meridian/logging';
import { ORIGIN, zone } from '../test/support/zone';
import { DnsServer } from './dns-server';
import { StatsView, TcpCounter } from './query-stats';
import { stateFromSnapshot } from './zone-state';

// DNS over TCP on a real socket, in process, on port 0: framing, pipelining and the limits.
let server: DnsServer;
let port: number;

beforeAll(async () => {
  server = new DnsServer({
    listen: {
      host: '127.0.0.1',
      port: 0,
      udp: { receiveBufferBytes: 0, sendBufferBytes: 0 },
      tcp: { idleTimeoutMs: 300, maxConnections: 3, maxInFlightPerConnection: 4 },
    },
    ednsPayloadSize: 1232,
    logger: nullLogger,
  });
  server.serve(stateFromSnapshot({ zones: [zone()] }), 1);
  port = (await server.start()).tcpPort;
});

afterAll(async () => {
  await server.stop();
});

const stats = () => new StatsView(server.stats.values);
const open = () =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);

it('answers 500 pipelined queries in one write, pausing at the in-flight cap instead of buffering without bound', async () => {
  const queries = Array.from({ length: 500 }, (_, i) => buildQuery({ id: i, name: i % 2 ? `www.${ORIGIN}` : `nope.${ORIGIN}`, type: RRType.A }));
  const pausedBefore = stats().tcp(TcpCounter.PAUSED);
  const replies = (await exchangeTcp(queries, { host: '127.0.0.1', port })).map((r) => decodeMessage(r));
  expect(replies.map((r) => r.id).sort((a, b) => a - b)).toEqual(queries.map((_, i) => i));
  expect(replies.every((r) => r.rcode === (r.id % 2 ? 0 : 3))).toBe(true);
  expect(stats().tcp(TcpCounter.PAUSED)).toBeGreaterThan(pausedBefore);
});

it('reassembles a message split across segments, and answers everything before a half-close', async () => {
  const s = await open();
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  const one = frame(buildQuery({ id: 1, name: `www.${ORIGIN}`, type: RRType.A }));
  s.write(one.subarray(0, 1));
  await new Promise((r) => setTimeout(r, 20));
  s.write(Buffer.concat([one.subarray(1), frame(buildQuery({ id: 2, name: `geo.${ORIGIN}`, type: RRType.A }))]));
  s.end();
  await closed(s);
  const all = Buffer.concat(chunks);
  const first = decodeMessage(all.subarray(2, 2 + all.readUInt16BE(0)));
  expect(first.id).toBe(1);
  expect(all.length).toBeGreaterThan(2 + all.readUInt16BE(0));
});

it('closes connections beyond the cap at once, and idle ones after the timeout', async () => {
  const rejectedBefore = stats().tcp(TcpCounter.REJECTED);
  const idleBefore = stats().tcp(TcpCounter.IDLE_CLOSED);
  const sockets = [await open(), await open(), await open()];
  await new Promise((r) => setTimeout(r, 50));
  const extra = await open();
  await closed(extra);
  expect(stats().tcp(TcpCounter.REJECTED)).toBe(rejectedBefore + 1);
  expect(stats().tcp(TcpCounter.OPEN)).toBe(3);
  await Promise.all(sockets.map(closed));
  await new Promise((r) => setTimeout(r, 50));
  expect(stats().tcp(TcpCounter.IDLE_CLOSED)).toBe(idleBefore + 3);
  expect(stats().tcp(TcpCounter.OPEN)).toBe(0);
});

it('survives garbage frames and keeps the connection framed', async () => {
  const replies = await new Promise<Buffer>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.write(Buffer.concat([frame(Buffer.from([1, 2, 3])), frame(Buffer.alloc(40, 0xff)), frame(buildQuery({ id: 9, name: `www.${ORIGIN}`, type: RRType.A }))]));
    });
    const got: Buffer[] = [];
    s.on('data', (c: Buffer) => {
      got.push(c);
      const all = Buffer.concat(got);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
        s.destroy();
        resolve(all);
      }
    });
  });
  // The 3-byte frame is dropped, the 0xff frame is a response (QR=1) and dropped too; the query is answered.
  expect(decodeMessage(replies.subarray(2, 2 + replies.readUInt16BE(0))).id).toBe(9);
});
