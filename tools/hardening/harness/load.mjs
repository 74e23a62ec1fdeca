// The load generator: dnsperf (Debian `dnsperf`) at a fixed rate against one nameserver, with
// a query file of names whose answers flip with health, names that do not exist and a name
// outside the zone. Every query's rcode and latency is read from dnsperf's verbose output as
// it streams (nothing is buffered whole), so a run can last ten minutes at thousands of qps.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ZONE } from './region-fleet.mjs';

/** The queries, each with the rcodes it may get (whatever the health of the regions). */
export const QUERIES = [
  { name: `failover.${ZONE}`, type: 'A', rcode: 'NOERROR' },
  { name: `failover.${ZONE}`, type: 'AAAA', rcode: 'NOERROR' },
  { name: `roundrobin.${ZONE}`, type: 'A', rcode: 'NOERROR' },
  { name: `geo.${ZONE}`, type: 'A', rcode: 'NOERROR' },
  { name: `weighted.${ZONE}`, type: 'A', rcode: 'NOERROR' },
  // k8gb's interop name is absent while none of this region's own targets is healthy.
  { name: `localtargets-failover.${ZONE}`, type: 'A', rcode: 'NOERROR', or: 'NXDOMAIN' },
  { name: ZONE, type: 'SOA', rcode: 'NOERROR' },
  { name: `missing.${ZONE}`, type: 'A', rcode: 'NXDOMAIN' },
  { name: 'www.example.org', type: 'A', rcode: 'REFUSED' },
];

export function writeQueryFile(path) {
  writeFileSync(path, QUERIES.map((q) => `${q.name} ${q.type}`).join('\n') + '\n');
  return path;
}

const keyOf = (name, type) => `${name.replace(/\.$/, '').toLowerCase()} ${type}`;
const EXPECTED = new Map(QUERIES.map((q) => [keyOf(q.name, q.type), [q.rcode, q.or].filter(Boolean)]));
const BUCKET_US = 10;
const BUCKETS = 100_000; // 10 µs buckets up to 1 s; slower answers land in the last one

/** Throughput as fast as dnsperf can go for `seconds` (the "measured maximum"). */
export function measureMaxQps({ port, queryFile, seconds = 5 }) {
  const r = spawnSync('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', queryFile, '-l', String(seconds), '-q', '200'], { maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`dnsperf failed: ${r.stderr}`);
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(r.stdout.toString())?.[1]);
  if (!Number.isFinite(qps) || qps <= 0) throw new Error(`dnsperf printed no rate:\n${r.stdout}`);
  return qps;
}

/**
 * Runs dnsperf at `qps` for about `seconds` (whole passes through the query file, so dnsperf
 * waits for every answer instead of cutting queries in flight at a time limit) and resolves
 * the summary: sent, completed, lost, rcodes per query, unexpected rcodes, latency.
 */
export function runLoad({ port, queryFile, qps, seconds, timeoutSeconds = 2 }) {
  const passes = Math.max(1, Math.ceil((qps * seconds) / QUERIES.length));
  const child = spawn('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', queryFile, '-n', String(passes), '-Q', String(Math.round(qps)), '-t', String(timeoutSeconds), '-v'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const histogram = new Uint32Array(BUCKETS);
  const rcodes = {};
  const unexpected = {};
  let maxMs = 0;
  let summary = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = /^> (\S+) (\S+) (\S+) ([\d.]+)$/.exec(line);
    if (!m) {
      summary += `${line}\n`;
      return;
    }
    const [, rcode, name, type, seconds_] = m;
    const key = keyOf(name, type);
    rcodes[rcode] = (rcodes[rcode] ?? 0) + 1;
    if (!EXPECTED.get(key)?.includes(rcode)) {
      const k = `${key} ${rcode}`;
      unexpected[k] = (unexpected[k] ?? 0) + 1;
    }
    const ms = Number(seconds_) * 1000;
    if (ms > maxMs) maxMs = ms;
    histogram[Math.min(BUCKETS - 1, Math.floor((ms * 1000) / BUCKET_US))]++;
  });
  const result = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`dnsperf exited with ${code}: ${stderr}\n${summary}`));
      const num = (re) => Number(re.exec(summary)?.[1] ?? NaN);
      const answered = histogram.reduce((a, b) => a + b, 0);
      const percentile = (p) => {
        let seen = 0;
        for (let i = 0; i < BUCKETS; i++) {
          seen += histogram[i];
          if (seen >= p * answered) return ((i + 1) * BUCKET_US) / 1000;
        }
        return NaN;
      };
      resolve({
        port,
        qps,
        sent: num(/Queries sent:\s+(\d+)/),
        completed: num(/Queries completed:\s+(\d+)/),
        lost: num(/Queries lost:\s+(\d+)/),
        achievedQps: num(/Queries per second:\s+([\d.]+)/),
        rcodes,
        unexpected,
        p50Ms: percentile(0.5),
        p99Ms: percentile(0.99),
        maxMs,
      });
    });
  });
  return { child, result };
}
