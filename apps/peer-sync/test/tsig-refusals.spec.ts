import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBindServer, type BindServer } from '@meridian/peer-sync-testing';
import { checkHealth, startService, type ServiceProcess } from '@meridian/testing';

// Issue #11: peer-sync's RFC 2136 update to BIND with a wrong TSIG key. BIND refuses it
// (NOTAUTH with BADSIG or BADKEY); peer-sync logs a clear error that names the key and the
// reason but never the secret (at debug level too), keeps serving, and retries with a
// growing backoff; the parent zone is untouched.
const ZONE = 'gslb.example.com';

describe('peer-sync with a wrong TSIG key against BIND 9', () => {
  let bind: BindServer;
  let realSecret: string;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    bind = await startBindServer({ zones: [{ name: 'example.com', updateKeys: ['meridian-eu'] }], keys: [{ name: 'meridian-eu' }] });
    realSecret = /secret "([^"]+)"/.exec(readFileSync(bind.keyFile('meridian-eu'), 'utf8'))?.[1] ?? '';
    expect(realSecret.length).toBeGreaterThan(20);
  }, 20_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    await bind?.stop();
  });

  const wrongSecret = Buffer.alloc(32, 9).toString('base64');
  const keyText = (name: string, algorithm: string, secret: string) => `key "${name}" {\n\talgorithm ${algorithm};\n\tsecret "${secret}";\n};\n`;

  it.each([
    ['a secret that differs from the server\'s', () => keyText('meridian-eu', 'hmac-sha256', wrongSecret), /BADSIG/],
    ['the right secret under another algorithm', () => keyText('meridian-eu', 'hmac-sha512', realSecret), /BADKEY|BADSIG/],
    ['a key name the server does not know', () => keyText('meridian-nobody', 'hmac-sha256', wrongSecret), /BADKEY/],
  ])('%s: refused, logged without the secret, retried with backoff, still serving', async (_name, key, reason) => {
    const keyFile = join(bind.dir, `wrong-${running.length}.key`);
    writeFileSync(keyFile, key());
    const serial = bind.serial('example.com');
    const proc = await startService('peer-sync', {
      config: {
        region: 'eu',
        log: { level: 'debug' },
        peering: { plaintext: true },
        edgeDns: { server: `127.0.0.1:${bind.port}`, zones: [{ zone: ZONE, parent: 'example.com' }], delegation: { addresses: ['127.0.0.11'], refreshSeconds: 60, tsig: { keyFile } } },
      },
    });
    running.push(proc);
    const failures = () => proc.logs.filter((r) => r['msg'] === 'edge delegation not published');
    const deadline = Date.now() + 15_000;
    while (failures().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const lines = failures();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines[0]).toMatchObject({ level: 'error', outcome: 'refused', zone: ZONE });
    expect(String(lines[0]?.['detail'])).toMatch(reason);
    // Backoff: the wait before the fourth attempt is longer than the wait before the second.
    const at = lines.map((r) => Date.parse(String(r['time'])));
    expect((at[3] as number) - (at[2] as number)).toBeGreaterThan((at[1] as number) - (at[0] as number));
    // No secret anywhere in the output, at debug level.
    const output = proc.stderr();
    expect(output).not.toContain(wrongSecret);
    expect(output).not.toContain(realSecret);
    expect(await checkHealth(proc.grpcAddress)).toBe('SERVING');
    expect(bind.serial('example.com')).toBe(serial);
    expect(bind.nameservers(ZONE)).toEqual([]);
  }, 30_000);
});
