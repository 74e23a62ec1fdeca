import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { Server, ServerCredentials, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { RecordsServiceService, WitnessServiceService, type ExplainRequest, type ExplainResponse, type WatchVerdictsResponse, type WatchZoneResponse } from '@meridian/proto';
import { failoverExplain, verdictsSnapshotMessage, zoneSnapshotMessage } from './fixtures';

const CLI = resolve(__dirname, '../dist/main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** Fake records and witness on port 0: Explain answers the fixture; the Watch streams send a snapshot and stay open. */
async function startFakes(): Promise<{ server: Server; address: string; explained: string[] }> {
  const explained: string[] = [];
  const server = new Server();
  const holdOpen = (call: ServerWritableStream<unknown, unknown>) => call.on('cancelled', () => call.end());
  server.addService(RecordsServiceService, {
    explain: (call: ServerUnaryCall<ExplainRequest, ExplainResponse>, callback: sendUnaryData<ExplainResponse>) => {
      explained.push(`${call.request.host} ${call.request.clientSubnet}`);
      callback(null, { ...failoverExplain, host: call.request.host });
    },
    watchZone: (call: ServerWritableStream<unknown, WatchZoneResponse>) => {
      call.write(zoneSnapshotMessage);
      holdOpen(call);
    },
  });
  server.addService(WitnessServiceService, {
    watchVerdicts: (call: ServerWritableStream<unknown, WatchVerdictsResponse>) => {
      call.write(verdictsSnapshotMessage);
      holdOpen(call);
    },
    observe: (_call: unknown, callback: sendUnaryData<never>) => callback(new Error('not in this fake')),
  });
  const port = await new Promise<number>((ok, fail) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? fail(err) : ok(bound))));
  return { server, address: `127.0.0.1:${port}`, explained };
}

describe('meridianctl as a process', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;

  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.server.forceShutdown());

  it('explain names the strategy, the verdicts and the health reasons', async () => {
    const result = await runCli(['explain', 'failover.gslb.example.com', '--client-subnet', '10.1.0.0/16', '--records', fakes.address]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fakes.explained).toContain('failover.gslb.example.com 10.1.0.0/16');
    expect(result.stdout).toMatch(/strategy\s+failover; primary eu/);
    expect(result.stdout).toMatch(/eu\s+yes\s+alive \(3\/3 reachable, quorum 2\)\s+no/);
    expect(result.stdout).toMatch(/us\s+no\s+alive \(3\/3 reachable, quorum 2\)\s+yes/);
    expect(result.stdout).toContain('HTTP 503 from /healthz');
    expect(result.stdout).toContain('summary: eu is primary but unhealthy; failing over to us');
  });

  it('explain --json prints the ExplainResponse as JSON', async () => {
    const result = await runCli(['explain', 'failover.gslb.example.com', '--json', '--records', fakes.address]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { spec: { strategy: { type: string } }; regions: { verdict: { state: string } }[] };
    expect(parsed.spec.strategy.type).toBe('STRATEGY_TYPE_FAILOVER');
    expect(parsed.regions.map((r) => r.verdict.state)).toEqual(['VERDICT_STATE_ALIVE', 'VERDICT_STATE_ALIVE']);
  });

  it('hosts reads the WatchZone snapshot', async () => {
    const result = await runCli(['hosts', '--records', fakes.address]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/failover\.gslb\.example\.com\s+custom\s+A\s+failover\s+single\s+30s\s+127\.0\.0\.21/);
  });

  it('an unreachable records service is exit 1 with a clear message', async () => {
    const closed = new Server();
    const port = await new Promise<number>((ok, fail) => closed.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? fail(err) : ok(bound))));
    closed.forceShutdown();
    const result = await runCli(['explain', 'failover.gslb.example.com', '--records', `127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach records at 127.0.0.1:${port}: connection refused — is the region running? (npm start)`);
  });

  it('bad usage is exit 2 with the usage', async () => {
    const result = await runCli(['explain']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: meridianctl');
  });
});
