import { readFileSync } from 'node:fs';
import { credentials, loadPackageDefinition, status as GrpcStatus, type CallOptions, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { makeTestPki, type TestPki } from './pki';
import { startService, type ServiceProcess } from './service-process';

interface HealthClient extends Client {
  check(req: { service: string }, options: CallOptions, cb: (err: ServiceError | null, res?: { status: string }) => void): void;
}
type HealthCtor = new (address: string, creds: ChannelCredentials, options?: object) => HealthClient;

/** Health/Check over the given credentials: "SERVING", or the status code and details of the failure. */
async function checkOver(address: string, creds: ChannelCredentials, options: object = {}): Promise<{ code: number; text: string }> {
  const Health = (loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as { grpc: { health: { v1: { Health: HealthCtor } } } }).grpc.health.v1.Health;
  const client = new Health(address, creds, options);
  try {
    return await new Promise((resolve) =>
      client.check({ service: '' }, { deadline: Date.now() + 5000 }, (err, res) =>
        resolve(err ? { code: err.code, text: err.details } : { code: GrpcStatus.OK, text: String(res?.status) }),
      ),
    );
  } finally {
    client.close();
  }
}

const pair = (p: { cert: string; key: string }) => ({ cert: readFileSync(p.cert), key: readFileSync(p.key) });

/**
 * An app's gRPC server with mutual TLS required (issue #11): every wrong certificate is
 * refused during the handshake, before any call runs, and a client with a good certificate
 * keeps being served through all of it. Both ends are checked: the server refuses clients it
 * must not trust, and a client refuses a server that is not the one it dialled. The app runs
 * at debug level, and its output must hold no piece of its private key.
 */
export function mtlsRefusalSuite(app: string, config: Record<string, unknown> = {}): void {
  describe(`${app}: mutual TLS refusals`, () => {
    let pki: TestPki;
    let proc: ServiceProcess;
    let address: string;
    const good = () => {
      const { cert, key } = pair(pki.client);
      return credentials.createSsl(readFileSync(pki.ca), key, cert);
    };

    beforeAll(async () => {
      pki = makeTestPki();
      proc = await startService(app, {
        config: { region: 'eu', log: { level: 'debug' }, ...config, grpc: { host: '127.0.0.1', port: 0, tls: { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca, requireClientCert: true } } },
      });
      address = `localhost:${proc.grpcPort}`;
    }, 30_000);

    afterAll(async () => {
      await proc?.stop('SIGKILL');
    });

    it('serves a client whose certificate the CA signed', async () => {
      expect(await checkOver(address, good())).toEqual({ code: GrpcStatus.OK, text: 'SERVING' });
    });

    const refused: [string, () => ChannelCredentials, object][] = [
      ['an expired client certificate from the right CA', () => credentials.createSsl(readFileSync(pki.ca), pair(pki.expiredClient).key, pair(pki.expiredClient).cert), {}],
      ['a client certificate from another CA', () => credentials.createSsl(readFileSync(pki.ca), pair(pki.strangerClient).key, pair(pki.strangerClient).cert), {}],
      ['no client certificate', () => credentials.createSsl(readFileSync(pki.ca)), {}],
      ['no TLS at all', () => credentials.createInsecure(), {}],
      // The client's side: the server's certificate does not name the host the client asked for.
      ['a server certificate that does not name the host dialled (wrong SAN)', () => good(), { 'grpc.ssl_target_name_override': 'us.peers.meridian' }],
      ['a server certificate from a CA the client does not trust', () => credentials.createSsl(readFileSync(pki.otherCa), pair(pki.client).key, pair(pki.client).cert), {}],
    ];

    it.each(refused)('refuses %s at the handshake (UNAVAILABLE), and still serves the good client', async (_name, creds, options) => {
      const outcome = await checkOver(address, creds(), options);
      expect(outcome.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(await checkOver(address, good())).toEqual({ code: GrpcStatus.OK, text: 'SERVING' });
    });

    it('is still the same running process, and logged no key material at debug level', () => {
      expect(proc.child.exitCode).toBeNull();
      const output = proc.stderr();
      expect(output).toContain('"level":"debug"');
      expect(output).not.toContain('PRIVATE KEY');
      // The key's base64 body, line by line: no piece of it may appear.
      const keyLines = readFileSync(pki.server.key, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
      expect(keyLines.length).toBeGreaterThan(0);
      for (const line of keyLines) expect(output).not.toContain(line);
    });
  });
}
