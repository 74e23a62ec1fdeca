import { runServiceToExit } from '@meridian/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

// Bad dns settings stop the process before it serves, naming the field, the value and the fix.
describe('dns configuration', () => {
  it.each([
    ['a DNS port out of range', 'dns:\n  port: 70000\n', ['dns.port: got 70000', 'from 0 to 65535']],
    ['negative workers', 'dns:\n  workers: -1\n', ['dns.workers: got -1', 'must be 0']],
    ['an EDNS payload below 512', 'dns:\n  ednsPayloadSize: 100\n', ['dns.ednsPayloadSize: got 100', 'at least 512']],
    ['a records endpoint without a port', 'records:\n  endpoints: [records.local]\n', ['records.endpoints.0: got "records.local"', 'host:port']],
    ['a client certificate without its key', 'records:\n  tls: {caFile: ca.pem, certFile: c.pem}\n', ['records.tls.keyFile', 'give both or neither']],
    ['a WatchZone message limit below gRPC\'s default', 'records:\n  maxMessageBytes: 1000\n', ['records.maxMessageBytes: got 1000', 'at least 4194304']],
    ['a misspelt TCP field', 'dns:\n  tcp:\n    idleTimeout: 5\n', ['dns.tcp.idleTimeout', 'unknown field']],
  ])('rejects %s with exit code 2', async (_name, yaml, expected) => {
    const { code, stderr } = await runServiceToExit('dns', `grpc: {host: 127.0.0.1, port: 0}\nmetrics: {host: 127.0.0.1, port: 0}\n${yaml}`);
    // The whole result, so a failure shows what the process printed.
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringContaining(expected[0] as string) });
    for (const text of expected) expect(stderr).toContain(text);
  });

  it('fails to start, naming the file, when the snapshot file is not a zone snapshot', async () => {
    const path = join(tmpdir(), `meridian-dns-bad-${process.pid}.json`);
    writeFileSync(path, '{"version": -1, "snapshot": {}}');
    const { code, stderr } = await runServiceToExit('dns', `grpc: {host: 127.0.0.1, port: 0}\nmetrics: {host: 127.0.0.1, port: 0}\ndns: {host: 127.0.0.1, port: 0, workers: 0}\nsnapshotFile: ${path}\n`);
    expect({ code, stderr }).toEqual({ code: 1, stderr: expect.stringContaining(`${path}: "version" must be a whole number`) });
  });
});
