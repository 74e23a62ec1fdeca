// The certificate part of the bad-input benchmark: each service's gRPC server with mutual TLS
// required, asked by clients with wrong certificates; and a peer-sync whose peer presents a
// certificate from another CA, whose log line is shown. Rows are what actually happened.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startApp } from './processes.mjs';
import { freePort } from '../../lib/free-port.mjs';

const CODE_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];


export async function runTlsAbuse({ root, dir, log }) {
  const require = createRequire(join(root, 'package.json'));
  const grpc = require('@grpc/grpc-js');
  const { loadSync } = require('@grpc/proto-loader');
  const { protoPath } = require('grpc-health-check');
  const testing = require(join(root, 'libs/testing/dist/index.js'));
  const peerPki = require(join(root, 'libs/peer-sync-testing/dist/index.js'));
  const Health = grpc.loadPackageDefinition(loadSync(protoPath, { enums: String })).grpc.health.v1.Health;
  const pki = testing.makeTestPki();
  const read = (p) => readFileSync(p);
  const check = (address, creds, options = {}) =>
    new Promise((resolve) => {
      const client = new Health(address, creds, options);
      client.check({ service: '' }, { deadline: Date.now() + 5000 }, (err, res) => {
        client.close();
        resolve(err ? { code: err.code, details: err.details } : { code: 0, details: res.status });
      });
    });
  const good = () => grpc.credentials.createSsl(read(pki.ca), read(pki.client.key), read(pki.client.cert));
  const cases = [
    ['an expired client certificate (right CA)', () => grpc.credentials.createSsl(read(pki.ca), read(pki.expiredClient.key), read(pki.expiredClient.cert)), {}],
    ['a client certificate from another CA', () => grpc.credentials.createSsl(read(pki.ca), read(pki.strangerClient.key), read(pki.strangerClient.cert)), {}],
    ['no client certificate', () => grpc.credentials.createSsl(read(pki.ca)), {}],
    ['plaintext (no TLS)', () => grpc.credentials.createInsecure(), {}],
    ['the right server, dialled under another name (SAN mismatch)', good, { 'grpc.ssl_target_name_override': 'us.peers.meridian' }],
  ];
  const rows = [];
  for (const app of ['peer-sync', 'witness', 'records', 'prober']) {
    const proc = startApp(root, dir, app, {
      region: 'eu',
      log: { level: 'debug' },
      grpc: { host: '127.0.0.1', port: 0, tls: { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true } },
    });
    try {
      const started = await proc.started;
      const address = `localhost:${started.grpcPort}`;
      const results = [];
      let allRefused = true;
      for (const [name, creds, options] of cases) {
        const r = await check(address, creds(), options);
        const after = await check(address, good());
        results.push(`${name}: ${CODE_NAMES[r.code]}`);
        if (r.code !== grpc.status.UNAVAILABLE || after.details !== 'SERVING') allRefused = false;
      }
      const keyLine = readFileSync(pki.server.key, 'utf8').split('\n').find((l) => l.length > 20 && !l.startsWith('-----'));
      const leaked = proc.text().includes('PRIVATE KEY') || (keyLine !== undefined && proc.text().includes(keyLine));
      rows.push({
        area: 'TLS',
        input: `${app} gRPC with mutual TLS required: ${cases.map(([n]) => n).join('; ')}`,
        result: `every one refused at the handshake (${[...new Set(results.map((r) => r.split(': ')[1]))].join('/')}); a good client served after each: ${allRefused ? 'yes' : 'NO'}; key material in its debug log: ${leaked ? 'YES' : 'none'}`,
        ok: allRefused && !leaked,
      });
    } finally {
      await proc.stop('SIGKILL');
    }
  }

  // peer-sync ↔ peer-sync: a region with a certificate from another CA. eu dials za (eu sorts first).
  const fleet = peerPki.makeTestPki();
  const strangers = peerPki.makeTestPki();
  const [euPort, zaPort] = [await freePort(), await freePort()];
  const peerConfig = (region, port, p, peer, peerPort) => {
    const cert = p.region(region);
    return {
      region,
      grpc: { host: '127.0.0.1', port, tls: { certFile: cert.cert, keyFile: cert.key, caFile: p.ca, requireClientCert: true } },
      peering: { peerIdentity: '{region}.peers.meridian', reconnect: { initialMs: 100, maxSeconds: 1 }, tls: { certFile: cert.cert, keyFile: cert.key, caFile: p.ca }, peers: [{ region: peer, address: `localhost:${peerPort}` }] },
    };
  };
  const eu = startApp(root, dir, 'peer-sync', peerConfig('eu', euPort, fleet, 'za', zaPort));
  const za = startApp(root, dir, 'peer-sync', peerConfig('za', zaPort, strangers, 'eu', euPort));
  try {
    await Promise.all([eu.started, za.started]);
    const deadline = Date.now() + 10_000;
    let line;
    while (!line && Date.now() < deadline) {
      line = eu.logs.find((r) => r.peer === 'za' && typeof r.reason === 'string');
      await new Promise((r) => setTimeout(r, 100));
    }
    const connected = [...eu.logs, ...za.logs].some((r) => r.msg === 'peer connected');
    rows.push({
      area: 'TLS',
      input: 'peer-sync eu dials peer-sync za, whose certificate is from another CA',
      result: `no session: ${connected ? 'NO, connected' : 'yes'}; eu logs ${line ? `"${line.msg}" peer=${line.peer} reason="${String(line.reason).slice(0, 160)}"` : 'NOTHING'}`,
      ok: !connected && line !== undefined,
    });
  } finally {
    await Promise.all([eu.stop('SIGKILL'), za.stop('SIGKILL')]);
  }
  log('tls: done');
  return { rows };
}
