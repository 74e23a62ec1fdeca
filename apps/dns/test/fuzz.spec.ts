import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import { buildQuery, RRType } from '@meridian/dns-wire';
import { scrapeMetrics } from '@meridian/testing';
import { dig } from './support/dig';
import { metric, startDns, waitReady, type DnsProcess } from './support/dns-process';
import { FUZZ_KINDS, PacketFuzzer, seededRandom } from './support/packet-fuzzer';
import { ORIGIN, writeSnapshotFile } from './support/zone-fixture';

// 100,000 malformed and mutated packets through the real UDP socket of a running server.
// Afterwards it must answer correctly, no worker may have died, and the worker's resident
// memory may not have grown by more than MEMORY_BOUND_MIB.
const PACKETS = 100_000;
const MEMORY_BOUND_MIB = 48;
const SEED = 0x5eed;
let dns: DnsProcess;

async function workerRssKiB(): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '--ppid', String(dns.proc.child.pid)]);
  return stdout.trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0);
}

/** Requests the server read: answered (any rcode) plus deliberately dropped. */
async function processed(): Promise<number> {
  const text = await scrapeMetrics(dns.proc.metricsPort);
  return text
    .split('\n')
    .filter((l) => l.startsWith('meridian_dns_queries_total{') || l.startsWith('meridian_dns_packets_dropped_total{reason="unreadable"') || l.startsWith('meridian_dns_packets_dropped_total{reason="response"'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

beforeAll(async () => {
  dns = await startDns({ dns: { workers: 1 }, snapshotFile: writeSnapshotFile(9) });
  await waitReady(dns.proc);
}, 30_000);

afterAll(async () => {
  await dns?.proc.stop('SIGTERM');
});

it(`survives ${PACKETS} malformed packets over UDP, answers correctly after, and its memory stays within ${MEMORY_BOUND_MIB} MiB of growth`, async () => {
  const fuzzer = new PacketFuzzer(seededRandom(SEED));
  const socket = createSocket('udp4');
  let replies = 0;
  socket.on('message', () => replies++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setRecvBufferSize(8 * 1024 * 1024);
  // Warm up with valid queries, so the baseline includes the JIT and the buffer pools.
  for (let i = 0; i < 5000; i++) {
    socket.send(buildQuery({ id: i, name: `app.${ORIGIN}`, type: RRType.A }), dns.port, '127.0.0.1');
    if (i % 250 === 0) await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 300));
  const before = await workerRssKiB();
  const processedBefore = await processed();
  const counts = new Map<string, number>();
  let sent = 0;
  while (sent < PACKETS) {
    // Bursts of 250, then yield: bounded, so the test measures robustness, not buffer overflow.
    for (let i = 0; i < 250 && sent < PACKETS; i++, sent++) {
      const kind = FUZZ_KINDS[sent % FUZZ_KINDS.length] as (typeof FUZZ_KINDS)[number];
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const packet = fuzzer.next(kind);
      socket.send(packet, dns.port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 500));
  socket.close();

  expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(PACKETS);
  expect(replies).toBeGreaterThan(0);
  // The server read (answered or deliberately dropped) most of them; the rest the kernel may
  // drop when this 2-core machine is busy, which is not what this test is about.
  expect((await processed()) - processedBefore).toBeGreaterThan(PACKETS / 2);
  // Still correct.
  const answer = await dig(dns.port, `app.${ORIGIN}`, 'A');
  expect(answer.status).toBe('NOERROR');
  expect(answer.answer.map((a) => a.data).sort()).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
  expect((await dig(dns.port, '+tcp', `missing.${ORIGIN}`, 'A')).status).toBe('NXDOMAIN');
  // Nothing crashed, and bad packets were counted rather than answered blindly.
  expect(await metric(dns.proc, 'meridian_dns_worker_restarts_total')).toBe(0);
  expect(await metric(dns.proc, 'meridian_dns_packets_dropped_total', '{reason="unreadable"}')).toBeGreaterThan(0);
  expect(await metric(dns.proc, 'meridian_dns_packets_dropped_total', '{reason="response"}')).toBeGreaterThan(0);
  expect(await metric(dns.proc, 'meridian_dns_queries_total', '{transport="udp",qtype="none",rcode="FORMERR"}')).toBeGreaterThan(0);
  expect(await metric(dns.proc, 'meridian_dns_queries_total', '{transport="udp",qtype="none",rcode="NOTIMP"}')).toBeGreaterThan(0);
  const after = await workerRssKiB();
  process.stderr.write(`fuzz: ${PACKETS} packets, ${replies} replies, worker RSS ${before} KiB → ${after} KiB\n`);
  expect((after - before) / 1024).toBeLessThan(MEMORY_BOUND_MIB);
}, 60_000);
