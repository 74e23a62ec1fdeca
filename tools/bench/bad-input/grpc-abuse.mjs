// The gRPC part of the bad-input benchmark: every method of every service gets bytes that are
// not a protobuf message and a message over its receive limit; then a flood of concurrent
// streams on one connection and of clients. Every row is the status the server actually
// returned and whether the process kept serving.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { metricSum, rssBytes, startApp } from './processes.mjs';

const SERVICES = [
  { app: 'prober', service: 'ProberService' },
  { app: 'peer-sync', service: 'PeerSyncService' },
  { app: 'witness', service: 'WitnessService' },
  { app: 'records', service: 'RecordsService' },
  { app: 'dns', service: 'DnsService' },
];
const CODE_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

export async function runGrpcAbuse({ root, dir, log, floodStreams, floodClients }) {
  const require = createRequire(join(root, 'package.json'));
  const proto = require(join(root, 'libs/proto/dist/index.js'));
  const testing = require(join(root, 'libs/testing/dist/index.js'));
  const grpcKit = require(join(root, 'libs/grpc-kit/dist/index.js'));
  const streams = require(join(root, 'libs/streams/dist/index.js'));
  const grpc = require('@grpc/grpc-js');
  const rows = [];
  const figures = {};
  const serving = async (address, name) => (await testing.checkHealth(address, `meridian.v1.${name}`)) === 'SERVING';

  for (const { app, service } of SERVICES) {
    const proc = startApp(root, dir, app, { region: 'eu' });
    try {
      const started = await proc.started;
      const address = `127.0.0.1:${started.grpcPort}`;
      const definition = proto[`${service}Service`];
      // peer-sync accepts a whole region's snapshot in one message: its limit is peering.maxMessageBytes.
      const limit = app === 'peer-sync' ? streams.DEFAULT_MAX_MESSAGE_BYTES : grpcKit.SERVER_MAX_RECEIVE_MESSAGE_BYTES;
      for (const method of Object.values(definition)) {
        const codes = new Map();
        for (const [, bytes] of testing.MALFORMED_PROTOBUF) {
          const r = await testing.rawGrpcCall(address, method, [bytes]);
          codes.set(CODE_NAMES[r.code], (codes.get(CODE_NAMES[r.code]) ?? 0) + 1);
        }
        const stillServing = await serving(address, service);
        const text = [...codes.entries()].map(([c, n]) => `${c} ×${n}`).join(', ');
        rows.push({
          area: 'gRPC',
          input: `${method.path}: ${testing.MALFORMED_PROTOBUF.length} malformed protobuf bodies (${testing.MALFORMED_PROTOBUF.map(([n]) => n).join('; ')})`,
          result: `${text}; still SERVING: ${stillServing ? 'yes' : 'NO'}`,
          ok: stillServing && [...codes.keys()].every((c) => c === 'INTERNAL' || c === 'INVALID_ARGUMENT'),
        });
        const startedAt = performance.now();
        const big = await testing.rawGrpcCall(address, method, [testing.oversizedMessage(limit + 1)], { timeoutMs: 30_000 });
        const ms = performance.now() - startedAt;
        const afterBig = await serving(address, service);
        rows.push({
          area: 'gRPC',
          input: `${method.path}: one message of ${limit / 1024 / 1024} MiB + 1 byte`,
          result: `${CODE_NAMES[big.code]} in ${ms.toFixed(0)} ms; still SERVING: ${afterBig ? 'yes' : 'NO'}`,
          ok: big.code === grpc.status.RESOURCE_EXHAUSTED && afterBig,
        });
      }

      if (app === 'prober') {
        // A flood of long-lived streams on one connection: the server runs at most
        // SERVER_MAX_CONCURRENT_STREAMS of them at once; the others wait their turn.
        // Its own connection (local subchannel pool): the health checks below must not queue behind the flood.
        const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
        const method = definition.watchLocalTargets;
        const rssBefore = rssBytes(proc.child.pid);
        const calls = [];
        const errors = new Map();
        for (let i = 0; i < floodStreams; i++) {
          const call = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, proto.WatchLocalTargetsRequest.fromPartial({ clientId: `flood-${i}` }), new grpc.Metadata(), {});
          call.on('error', (err) => errors.set(err.code, (errors.get(err.code) ?? 0) + 1));
          call.on('data', () => {});
          calls.push(call);
        }
        await new Promise((r) => setTimeout(r, 2000));
        const inFlight = await metricSum(started.metricsPort, 'grpc_server_in_flight_calls', 'grpc_method="WatchLocalTargets"');
        const healthy = await serving(address, service);
        const rssFlood = rssBytes(proc.child.pid);
        const failed = [...errors.values()].reduce((a, b) => a + b, 0);
        for (const call of calls) call.cancel();
        client.close();
        rows.push({
          area: 'gRPC',
          input: `${floodStreams} concurrent WatchLocalTargets streams on one connection (prober)`,
          result: `${inFlight} running at once (limit ${grpcKit.SERVER_MAX_CONCURRENT_STREAMS}), the rest queued by HTTP/2, ${failed} failed; another client still SERVING: ${healthy ? 'yes' : 'NO'}; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssFlood / 2 ** 20).toFixed(0)} MiB`,
          ok: inFlight > 0 && inFlight <= grpcKit.SERVER_MAX_CONCURRENT_STREAMS && failed === 0 && healthy,
        });
        figures.streamFlood = { inFlight, rssBefore, rssFlood };

        // Many clients, each with a few streams: bounded per connection only; memory per stream measured.
        await new Promise((r) => setTimeout(r, 500));
        const rssBeforeClients = rssBytes(proc.child.pid);
        const clients = [];
        let opened = 0;
        for (let c = 0; c < floodClients; c++) {
          const cl = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
          for (let s = 0; s < 5; s++) {
            const call = cl.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, proto.WatchLocalTargetsRequest.fromPartial({ clientId: `c${c}-${s}` }), new grpc.Metadata(), {});
            call.on('error', () => {});
            call.on('data', () => {});
            opened++;
          }
          clients.push(cl);
        }
        await new Promise((r) => setTimeout(r, 3000));
        const inFlightClients = await metricSum(started.metricsPort, 'grpc_server_in_flight_calls', 'grpc_method="WatchLocalTargets"');
        const healthyClients = await serving(address, service);
        const rssClients = rssBytes(proc.child.pid);
        for (const cl of clients) cl.close();
        const perStream = inFlightClients > 0 ? (rssClients - rssBeforeClients) / inFlightClients / 1024 : 0;
        rows.push({
          area: 'gRPC',
          input: `${floodClients} clients × 5 WatchLocalTargets streams (prober)`,
          result: `${inFlightClients} of ${opened} running; still SERVING: ${healthyClients ? 'yes' : 'NO'}; RSS ${(rssBeforeClients / 2 ** 20).toFixed(0)} → ${(rssClients / 2 ** 20).toFixed(0)} MiB (≈ ${perStream.toFixed(1)} KiB per stream)`,
          ok: healthyClients && inFlightClients > 0,
        });
        figures.clientFlood = { opened, inFlight: inFlightClients, perStreamKiB: perStream };
      }
      const alive = proc.alive();
      log(`grpc: ${app} done (alive: ${alive})`);
      if (!alive) rows.push({ area: 'gRPC', input: `${app} process`, result: 'EXITED during the run', ok: false });
    } finally {
      await proc.stop('SIGKILL');
    }
  }
  return { rows, figures };
}
