import { checkHealth, makeTestPki, startService, type ServiceProcess } from '@meridian/testing';

// The app wires grpc.healthPort through runService: with mTLS on the gRPC port, the kubelet's
// plaintext gRPC probe gets its answer on the health port.
describe('records with grpc.healthPort', () => {
  let proc: ServiceProcess;

  beforeAll(async () => {
    const pki = makeTestPki();
    proc = await startService('records', {
      config: {
        region: 'eu',
        grpc: { host: '127.0.0.1', port: 0, healthPort: 0, tls: { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await proc?.stop('SIGKILL');
  });

  it('answers plaintext health Checks on the health port: ready and alive', async () => {
    const started = proc.logs.find((r) => r['msg'] === 'service started');
    const healthPort = started?.['grpcHealthPort'] as number;
    expect(healthPort).toBeGreaterThan(0);
    expect(healthPort).not.toBe(proc.grpcPort);
    expect(await checkHealth(`127.0.0.1:${healthPort}`)).toBe('SERVING');
    expect(await checkHealth(`127.0.0.1:${healthPort}`, 'meridian.v1.Liveness')).toBe('SERVING');
    expect(await checkHealth(proc.grpcAddress)).toMatch(/^error 14/);
  });
});
