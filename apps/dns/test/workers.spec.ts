import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dig } from './support/dig';
import { metric, startDns, waitReady, type DnsProcess } from './support/dns-process';
import { ORIGIN, writeSnapshotFile } from './support/zone-fixture';

// Cluster workers: they share the port, a dead one is replaced and gets the zone, and the
// others keep answering meanwhile.
let dns: DnsProcess;

const workerPids = async () => {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(dns.proc.child.pid)]);
  return stdout.trim().split(/\s+/).filter(Boolean).map(Number);
};

beforeAll(async () => {
  dns = await startDns({ dns: { workers: 2 }, snapshotFile: writeSnapshotFile(3) });
  await waitReady(dns.proc);
}, 30_000);

afterAll(async () => {
  await dns?.proc.stop('SIGTERM');
});

it('replaces a worker that dies, with no gap in answers, and counts the restart', async () => {
  const before = await workerPids();
  expect(before).toHaveLength(2);
  process.kill(before[0] as number, 'SIGKILL');
  for (let i = 0; i < 20; i++) {
    const r = await dig(dns.port, `app.${ORIGIN}`, 'A');
    expect(r.answer).toHaveLength(3);
  }
  const deadline = Date.now() + 10_000;
  while ((await metric(dns.proc, 'meridian_dns_workers')) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await metric(dns.proc, 'meridian_dns_worker_restarts_total')).toBe(1);
  const after = await workerPids();
  expect(after).toHaveLength(2);
  expect(after).not.toContain(before[0]);
  // Every worker answers from the zone (UDP spreads queries over both).
  for (let i = 0; i < 40; i++) expect((await dig(dns.port, ORIGIN, 'SOA')).answer[0]?.data).toContain(' 3 3600 ');
}, 30_000);

it('stops every worker on SIGTERM and exits 0', async () => {
  const pids = await workerPids();
  expect(await dns.proc.stop('SIGTERM')).toBe(0);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
});
