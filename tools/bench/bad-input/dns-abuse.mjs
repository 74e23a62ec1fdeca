// The DNS part of the bad-input benchmark: a long fuzz run over UDP and TCP (mutations of valid
// queries plus random bytes) with the server's memory before and after, then the security
// checks (zone transfer, recursion, response sizes, ANY, amplification) against the same
// server. Every row is what the server actually did.
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { metricSum, rssBytes, startApp, waitReady } from './processes.mjs';

const ORIGIN = 'gslb.example.com';
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const TYPES = { 1: 'A', 2: 'NS', 6: 'SOA', 16: 'TXT', 28: 'AAAA', 255: 'ANY' };

/** A small fast seeded PRNG (mulberry32), so a run can be repeated. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zoneSnapshotJson(proto) {
  const { AddressFamily, RecordType, StrategyType, TargetSource, ZoneSnapshot } = proto;
  const v4 = (address) => ({ address, family: AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC });
  const plan = (variants, selector) => ({ strategy: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, variants: variants.map((targets) => ({ targets })), selector, failOpen: false });
  const records = (host, list) => ({ name: host ? `${host}.${ORIGIN}` : ORIGIN, ttlSeconds: 30, content: { $case: 'records', records: { records: list.map(([type, data]) => ({ type, data })) } } });
  const app = ['192.0.2.10', '192.0.2.11', '192.0.2.12'].map(v4);
  const zone = {
    header: {
      origin: ORIGIN,
      soa: { mname: `ns1.${ORIGIN}`, rname: `hostmaster.${ORIGIN}`, refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 60 },
      nameservers: [`ns1.${ORIGIN}`, `ns2.${ORIGIN}`],
      nsTtlSeconds: 300,
      geoRoutes: [],
    },
    recordSets: [
      records('ns1', [[RecordType.RECORD_TYPE_A, '192.0.2.53']]),
      records('ns2', [[RecordType.RECORD_TYPE_A, '192.0.2.54']]),
      { name: `app.${ORIGIN}`, ttlSeconds: 30, content: { $case: 'host', host: { a: plan(app.map((_, i) => [...app.slice(i), ...app.slice(0, i)]), { $case: 'rotate', rotate: {} }) } } },
      records('big', Array.from({ length: 40 }, (_, i) => [RecordType.RECORD_TYPE_A, `198.51.100.${i + 1}`])),
      records('huge', Array.from({ length: 100 }, (_, i) => [RecordType.RECORD_TYPE_A, `203.0.113.${i + 1}`])),
      records('txt', [[RecordType.RECORD_TYPE_TXT, 'v=meridian '.repeat(20)]]),
      records('', [[RecordType.RECORD_TYPE_TXT, 'v=meridian']]),
    ],
  };
  return ZoneSnapshot.toJSON({ zones: [zone] });
}

/** A fuzzer of DNS messages: mutations of valid queries, and plain random bytes. */
function makeFuzzer(wire, random) {
  const names = ['app', 'big', 'huge', 'txt', 'missing', '', 'a.b.c.d.e.f.g.h'].map((h) => (h ? `${h}.${ORIGIN}` : ORIGIN));
  const types = [1, 28, 16, 2, 6, 255, 252, 251, 99];
  const seeds = [];
  for (const name of names) {
    for (const type of types) {
      seeds.push(wire.buildQuery({ id: 1, name, type }));
      seeds.push(wire.buildQuery({ id: 1, name, type, edns: { payloadSize: 4096 } }));
      seeds.push(wire.buildQuery({ id: 1, name, type, recursionDesired: true, edns: { payloadSize: 1232, clientSubnet: '10.1.2.0/24' } }));
    }
  }
  const int = (n) => Math.floor(random() * n);
  const randomBytes = (n) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = int(256);
    return b;
  };
  const kinds = {
    'bit flips': (q) => {
      for (let i = 1 + int(8); i > 0; i--) q[int(q.length)] ^= 1 << int(8);
      return q;
    },
    'random bytes overwritten': (q) => {
      for (let i = 1 + int(4); i > 0; i--) q[int(q.length)] = int(256);
      return q;
    },
    truncated: (q) => q.subarray(0, int(q.length)),
    'trailing garbage': (q) => Buffer.concat([q, randomBytes(1 + int(64))]),
    'header counts': (q) => {
      for (let o = 4; o < 12; o += 2) q.writeUInt16BE(int(4) === 0 ? int(65536) : int(3), o);
      return q;
    },
    'header flags and opcode': (q) => {
      q[2] = int(256);
      q[3] = int(256);
      return q;
    },
    'label lengths': (q) => {
      q[12 + int(Math.max(1, q.length - 16))] = int(4) === 0 ? 0xc0 | int(64) : int(256);
      return q;
    },
    'compression loops': (q) => Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 0x0c]), q.subarray(q.length - 4)]),
    'EDNS option garbage': (q) => Buffer.concat([q.subarray(0, q.length), Buffer.from([0, 0, 41, 0x10, 0, int(3), 0, 0, 0, 0, 8]), randomBytes(int(12))]),
    'random packets': () => randomBytes(int(600)),
  };
  const names_ = Object.keys(kinds);
  return {
    kinds: names_,
    next(index) {
      const kind = names_[index % names_.length];
      const seed = seeds[int(seeds.length)];
      return { kind, packet: kinds[kind](Buffer.from(seed)) };
    },
  };
}

async function fuzzUdp(port, fuzzer, total, tally) {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setRecvBufferSize(16 * 1024 * 1024);
  socket.setSendBufferSize(4 * 1024 * 1024);
  const sentLength = new Uint16Array(65536);
  let replies = 0;
  socket.on('message', (reply) => {
    replies++;
    tally.reply(reply, sentLength[reply.readUInt16BE(0)] || 0);
  });
  let sent = 0;
  const started = performance.now();
  while (sent < total) {
    for (let i = 0; i < 500 && sent < total; i++, sent++) {
      const { kind, packet } = fuzzer.next(sent);
      tally.sent(kind);
      if (packet.length >= 2) packet.writeUInt16BE(sent & 0xffff, 0);
      sentLength[sent & 0xffff] = packet.length;
      socket.send(packet, port, '127.0.0.1');
    }
    // Bounded pacing: wait while replies are still arriving (the server is catching up), at
    // most 20 ms. Packets the server drops by design never get a reply, so "all answered" is
    // not the condition.
    let last = -1;
    for (let w = 0; w < 20 && replies !== last; w++) {
      last = replies;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  await new Promise((r) => setTimeout(r, 500));
  socket.close();
  return { sent, replies, seconds: (performance.now() - started) / 1000 };
}

/** Fuzzed messages framed for TCP, pipelined on a few connections; the server may close a connection, which is reopened. */
async function fuzzTcp(port, fuzzer, total, tally) {
  const CONNECTIONS = 4;
  const BATCH = 100;
  let sent = 0;
  let replies = 0;
  let closedByServer = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      await new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        let pending = Buffer.alloc(0);
        let outstanding = 0;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          socket.destroy();
          resolve();
        };
        const sendBatch = () => {
          if (sent >= total) return finish();
          const frames = [];
          for (let i = 0; i < BATCH && sent < total; i++, sent++) {
            const { kind, packet } = fuzzer.next(sent);
            tally.sent(kind);
            const body = packet.subarray(0, 65535);
            const frame = Buffer.allocUnsafe(2 + body.length);
            frame.writeUInt16BE(body.length, 0);
            body.copy(frame, 2);
            frames.push(frame);
          }
          outstanding = frames.length;
          socket.write(Buffer.concat(frames));
          // Not every message gets a reply (some are dropped by design): move on after a short wait.
          clearTimeout(timer);
          timer = setTimeout(sendBatch, 30);
        };
        let timer = setTimeout(() => {}, 0);
        socket.on('connect', sendBatch);
        socket.on('data', (chunk) => {
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
            const length = pending.readUInt16BE(0);
            tally.reply(pending.subarray(2, 2 + length), 0);
            pending = pending.subarray(2 + length);
            replies++;
            if (--outstanding === 0) {
              clearTimeout(timer);
              sendBatch();
            }
          }
        });
        socket.on('close', () => {
          clearTimeout(timer);
          if (!done) closedByServer++;
          finish();
        });
        socket.on('error', () => finish());
      });
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { sent, replies, closedByServer, seconds: (performance.now() - started) / 1000 };
}

function makeTally() {
  const byKind = new Map();
  const rcodes = new Map();
  let truncated = 0;
  let maxReply = 0;
  let maxRatio = 0;
  return {
    byKind,
    rcodes,
    sent(kind) {
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    },
    reply(reply, queryLength) {
      if (reply.length < 4) return;
      const rcode = RCODES[reply[3] & 0x0f] ?? `rcode ${reply[3] & 0x0f}`;
      rcodes.set(rcode, (rcodes.get(rcode) ?? 0) + 1);
      if (reply[2] & 0x02) truncated++;
      maxReply = Math.max(maxReply, reply.length);
      if (queryLength > 0) maxRatio = Math.max(maxRatio, reply.length / queryLength);
    },
    get truncated() {
      return truncated;
    },
    get maxReply() {
      return maxReply;
    },
    get maxRatio() {
      return maxRatio;
    },
  };
}

function udpAsk(port, query, timeoutMs = 3000) {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    const timer = setTimeout(() => (socket.close(), resolve(undefined)), timeoutMs);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(query, port, '127.0.0.1');
  });
}

async function tcpAsk(wire, port, query) {
  try {
    const [reply] = await wire.exchangeTcp([query], { host: '127.0.0.1', port, timeoutMs: 3000 });
    return reply;
  } catch {
    return undefined;
  }
}

const rcodeName = (m) => (m === undefined ? 'no reply' : m.rcode === 16 ? 'BADVERS' : (RCODES[m.rcode] ?? `rcode ${m.rcode}`));

/** The security checks: each returns a row of input → what happened → the verdict. */
async function policyChecks(wire, port, smallPort) {
  const rows = [];
  const row = (input, result, ok) => rows.push({ area: 'DNS', input, result, ok });
  const decode = (b) => (b === undefined ? undefined : wire.decodeMessage(b));

  for (const [name, type] of [['AXFR', 252], ['IXFR', 251]]) {
    const tcp = decode(await tcpAsk(wire, port, wire.buildQuery({ id: 1, name: ORIGIN, type })));
    const udp = decode(await udpAsk(port, wire.buildQuery({ id: 2, name: ORIGIN, type })));
    row(`${name} of the zone (TCP and UDP)`, `TCP ${rcodeName(tcp)}, ${tcp?.answers.length ?? 0} records; UDP ${rcodeName(udp)}, ${udp?.answers.length ?? 0} records`, tcp?.rcode === 5 && udp?.rcode === 5 && tcp.answers.length === 0 && udp.answers.length === 0);
  }
  for (const name of ['www.example.org', 'example.com', '.']) {
    const m = decode(await udpAsk(port, wire.buildQuery({ id: 3, name, type: 1, recursionDesired: true })));
    row(`RD=1 query for ${name} (not ours)`, `${rcodeName(m)}, RA ${m?.ra ? 'set' : 'clear'}, ${m?.answers.length ?? 0} answers`, m?.rcode === 5 && m.ra === false && m.answers.length === 0);
  }
  const sized = async (label, p, edns, limit) => {
    const query = wire.buildQuery({ id: 4, name: `huge.${ORIGIN}`, type: 1, ...(edns ? { edns: { payloadSize: edns } } : {}) });
    const reply = await udpAsk(p, query);
    const m = decode(reply);
    const optKept = edns ? m?.edns !== undefined : true;
    row(`UDP query for 100 A records (1.6 kB), ${label}`, `${reply?.length ?? 0} bytes, TC ${m?.tc ? 'set' : 'clear'}${edns ? `, OPT ${m?.edns ? 'kept' : 'lost'}` : ''}`, reply !== undefined && reply.length <= limit && m?.tc === true && optKept);
  };
  await sized('no EDNS (limit 512)', port, undefined, 512);
  await sized('EDNS buffer 4096 (limit: our 1232)', port, 4096, 1232);
  await sized('EDNS buffer 700 (limit: the client 700)', port, 700, 700);
  await sized('EDNS buffer 100 (limit: raised to 512)', port, 100, 512);
  await sized('EDNS buffer 4096, server configured for 600', smallPort, 4096, 600);
  const full = decode(await tcpAsk(wire, port, wire.buildQuery({ id: 5, name: `huge.${ORIGIN}`, type: 1 })));
  row('the same over TCP', `${full?.answers.length ?? 0} records, TC ${full?.tc ? 'set' : 'clear'}`, full?.answers.length === 100 && full.tc === false);
  const any = decode(await udpAsk(port, wire.buildQuery({ id: 6, name: ORIGIN, type: 255, edns: { payloadSize: 4096 } })));
  row('ANY at the apex (holds SOA, NS, TXT)', `${any?.answers.length ?? 0} record(s): ${[...new Set(any?.answers.map((a) => TYPES[a.type] ?? a.type) ?? [])].join(', ')}`, any?.answers.length === 1);

  // Amplification: the largest reply over the smallest query, over every name and type of the zone.
  let worst = { ratio: 0 };
  for (const host of ['', 'app', 'big', 'huge', 'txt', 'ns1', 'missing']) {
    for (const type of [1, 28, 16, 2, 6, 255]) {
      for (const edns of [undefined, 4096]) {
        const name = host ? `${host}.${ORIGIN}` : ORIGIN;
        const query = wire.buildQuery({ id: 7, name, type, ...(edns ? { edns: { payloadSize: edns } } : {}) });
        const reply = await udpAsk(port, query);
        if (reply && reply.length / query.length > worst.ratio) worst = { ratio: reply.length / query.length, name, type, edns, out: reply.length, in: query.length };
      }
    }
  }
  row(
    'amplification: every name × A/AAAA/TXT/NS/SOA/ANY, with and without EDNS 4096',
    `worst ${worst.out} B out / ${worst.in} B in = ${worst.ratio.toFixed(1)}× (${worst.name} ${TYPES[worst.type] ?? worst.type}${worst.edns ? ', EDNS' : ''}); bound 1232 B / query`,
    worst.out <= 1232,
  );
  return { rows, amplification: worst };
}

/** Runs the DNS part; returns table rows and the fuzz figures. */
export async function runDnsAbuse({ root, dir, udpPackets, tcpPackets, seed, log }) {
  const require = createRequire(join(root, 'package.json'));
  const wire = require(join(root, 'libs/dns-wire/dist/index.js'));
  const proto = require(join(root, 'libs/proto/dist/index.js'));
  const snapshotFile = join(dir, 'zone.json');
  writeFileSync(snapshotFile, JSON.stringify({ version: 1, snapshot: zoneSnapshotJson(proto) }));

  const dns = startApp(root, dir, 'dns', { dns: { host: '127.0.0.1', port: 0, workers: 1 }, snapshotFile });
  const small = startApp(root, dir, 'dns', { dns: { host: '127.0.0.1', port: 0, workers: 0, ednsPayloadSize: 600 }, snapshotFile });
  try {
    const [started] = await Promise.all([dns.started, small.started]);
    const port = dns.logs.find((r) => r.msg === 'dns listening')?.udpPort;
    const smallPort = small.logs.find((r) => r.msg === 'dns listening')?.udpPort;
    await Promise.all([waitReady(started.metricsPort), small.started.then((s) => waitReady(s.metricsPort))]);
    const metricsPort = started.metricsPort;

    // Warm up with valid queries so the memory baseline includes the JIT and buffer pools.
    const warm = createSocket('udp4');
    await new Promise((r) => warm.bind(0, '127.0.0.1', r));
    for (let i = 0; i < 20_000; i++) {
      warm.send(wire.buildQuery({ id: i & 0xffff, name: `app.${ORIGIN}`, type: 1 }), port, '127.0.0.1');
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 500));
    warm.close();
    const rssBefore = rssBytes(dns.child.pid);
    const processedBefore = await metricSum(metricsPort, 'meridian_dns_queries_total') + (await metricSum(metricsPort, 'meridian_dns_packets_dropped_total'));

    const fuzzer = makeFuzzer(wire, seeded(seed));
    const udpTally = makeTally();
    log(`dns: ${udpPackets} fuzzed packets over UDP…`);
    const udp = await fuzzUdp(port, fuzzer, udpPackets, udpTally);
    log(`dns: ${udp.sent} sent in ${udp.seconds.toFixed(1)} s, ${udp.replies} replies; ${tcpPackets} over TCP…`);
    const tcpTally = makeTally();
    const tcp = await fuzzTcp(port, fuzzer, tcpPackets, tcpTally);
    log(`dns: ${tcp.sent} sent over TCP in ${tcp.seconds.toFixed(1)} s, ${tcp.replies} replies, ${tcp.closedByServer} connections closed by the server`);
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = rssBytes(dns.child.pid);
    const processedAfter = await metricSum(metricsPort, 'meridian_dns_queries_total') + (await metricSum(metricsPort, 'meridian_dns_packets_dropped_total'));
    const restarts = await metricSum(metricsPort, 'meridian_dns_worker_restarts_total');
    const dropped = {
      unreadable: await metricSum(metricsPort, 'meridian_dns_packets_dropped_total', 'reason="unreadable"'),
      response: await metricSum(metricsPort, 'meridian_dns_packets_dropped_total', 'reason="response"'),
    };
    const after = wire.decodeMessage((await udpAsk(port, wire.buildQuery({ id: 9, name: `app.${ORIGIN}`, type: 1 }))) ?? Buffer.alloc(12));
    const afterTcp = wire.decodeMessage((await tcpAsk(wire, port, wire.buildQuery({ id: 10, name: `app.${ORIGIN}`, type: 1 }))) ?? Buffer.alloc(12));
    const correct = after.answers.length === 3 && afterTcp.answers.length === 3;

    const mib = (b) => (b / 1024 / 1024).toFixed(1);
    const rcodeText = (t) => [...t.rcodes.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    const rows = [
      {
        area: 'DNS',
        input: `${udp.sent.toLocaleString('en')} fuzzed UDP packets (${fuzzer.kinds.length} mutation kinds of valid queries, and random bytes; seed ${seed})`,
        result: `${udp.replies.toLocaleString('en')} replies (${rcodeText(udpTally)}); largest reply ${udpTally.maxReply} B (limit 1232); ${udp.seconds.toFixed(1)} s`,
        ok: udpTally.maxReply <= 1232,
      },
      {
        area: 'DNS',
        input: `${tcp.sent.toLocaleString('en')} fuzzed messages over TCP, pipelined in batches of 100 on 4 connections`,
        result: `${tcp.replies.toLocaleString('en')} replies (${rcodeText(tcpTally)}); ${tcp.closedByServer} connections closed by the server and reopened; ${tcp.seconds.toFixed(1)} s`,
        ok: tcp.replies > 0,
      },
      {
        area: 'DNS',
        input: 'after both runs',
        result: `server read ${(processedAfter - processedBefore).toLocaleString('en')} requests (dropped unreadable ${dropped.unreadable}, dropped responses ${dropped.response}); worker restarts ${restarts}; RSS ${mib(rssBefore)} → ${mib(rssAfter)} MiB; app.${ORIGIN} A over UDP and TCP: ${correct ? 'correct' : 'WRONG'}`,
        ok: restarts === 0 && correct && dns.alive(),
      },
    ];
    const policy = await policyChecks(wire, port, smallPort);
    rows.push(...policy.rows);
    return {
      rows,
      figures: { udp, tcp, rssBefore, rssAfter, restarts, amplification: policy.amplification, kinds: Object.fromEntries(udpTally.byKind) },
    };
  } finally {
    await Promise.all([dns.stop('SIGKILL'), small.stop('SIGKILL')]);
  }
}
