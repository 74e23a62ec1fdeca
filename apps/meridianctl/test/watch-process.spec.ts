import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import { RecordsServiceService, WatchZoneResponse, WitnessServiceService, type WatchVerdictsResponse, type WatchZoneRequest } from '@meridian/proto';
import { verdictsSnapshotMessage, zoneSnapshotMessage } from './fixtures';

const CLI = resolve(__dirname, '../dist/main.js');

/**
 * records ends its first WatchZone stream right after the snapshot (as a restarting records
 * would); the next call must come back with since_version 42, and gets one delta.
 */
async function startFlakyRecords(): Promise<{ server: Server; address: string; requests: WatchZoneRequest[] }> {
  const requests: WatchZoneRequest[] = [];
  const server = new Server();
  server.addService(RecordsServiceService, {
    explain: (_call: unknown, callback: (err: Error) => void) => callback(new Error('not in this fake')),
    watchZone: (call: ServerWritableStream<WatchZoneRequest, WatchZoneResponse>) => {
      requests.push(call.request);
      call.on('cancelled', () => call.end());
      if (requests.length === 1) {
        call.write(zoneSnapshotMessage);
        setTimeout(() => call.end(), 200);
        return;
      }
      call.write(
        WatchZoneResponse.fromPartial({
          epoch: 'e1',
          version: 43,
          event: { $case: 'delta', delta: { changes: [{ origin: 'gslb.example.com', change: { $case: 'removedName', removedName: 'failover.gslb.example.com' } }] } },
        }),
      );
    },
  });
  server.addService(WitnessServiceService, {
    watchVerdicts: (call: ServerWritableStream<unknown, WatchVerdictsResponse>) => {
      call.write(verdictsSnapshotMessage);
      call.on('cancelled', () => call.end());
    },
    observe: (_call: unknown, callback: (err: Error) => void) => callback(new Error('not in this fake')),
  });
  const port = await new Promise<number>((ok, fail) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? fail(err) : ok(bound))));
  return { server, address: `127.0.0.1:${port}`, requests };
}

describe('meridianctl watch', () => {
  it('resumes a lost stream from the last version and says so on stderr, until Ctrl-C', async () => {
    const fake = await startFlakyRecords();
    try {
      const child = spawn(process.execPath, [CLI, 'watch', '--records', fake.address, '--witness', fake.address], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      const deadline = Date.now() + 15_000;
      while (!/removed failover\.gslb\.example\.com/.test(stdout) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGINT');
      expect(await exited).toBe(0);

      expect(stdout).toMatch(/custom records v42 snapshot epoch e1: 1 zones/);
      expect(stdout).toMatch(/custom records v43 removed failover\.gslb\.example\.com/);
      expect(stdout).toMatch(/custom witness v7 /);
      expect(stderr).toMatch(/custom records WatchZone: disconnected \(the server ended the stream; retrying in \d+ ms\)/);
      expect(stderr).toMatch(/custom records WatchZone: resumed, at e1@43/);
      expect(fake.requests.map((r) => [r.epoch, Number(r.sinceVersion)])).toEqual([
        ['', 0],
        ['e1', 42],
      ]);
    } finally {
      fake.server.forceShutdown();
    }
  }, 30_000);
});
