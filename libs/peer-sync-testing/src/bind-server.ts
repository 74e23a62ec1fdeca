import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BindZoneOptions {
  /** The zone's origin, for example "example.com". */
  name: string;
  /** Extra zone-file lines after the SOA and NS (relative names are below the origin). */
  records?: string[];
  /** Names of keys (see `keys`) allowed to update the zone (allow-update). */
  updateKeys?: string[];
}

export interface BindServerOptions {
  zones: BindZoneOptions[];
  /** TSIG keys to make with tsig-keygen; each lands in its own BIND key file. */
  keys?: { name: string; algorithm?: string }[];
}

export interface BindServer {
  host: string;
  port: number;
  dir: string;
  /** The key file tsig-keygen wrote for a key: what a client is configured with. */
  keyFile(name: string): string;
  /** The base64 secret of a key. */
  secret(name: string): string;
  /** Runs dig against this server (no recursion) and returns its output. */
  dig(args: readonly string[]): string;
  /** dig +short, one answer per line. */
  digShort(name: string, type: string): string[];
  /**
   * The NS names of a delegated zone as `dig NS <zone>` shows them: in the authority section
   * of the parent's referral (or the answer, for a zone apex).
   */
  nameservers(zone: string): string[];
  /** Every record of a zone by AXFR, as dig prints them (SOA twice, as AXFR sends it). */
  axfr(zone: string): string[];
  /** The zone's SOA serial. */
  serial(zone: string): number;
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Finds a port free for both UDP and TCP on 127.0.0.1 (BIND needs both). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

function program(name: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: install the Debian package ${name === 'named' || name === 'tsig-keygen' ? 'bind9' : 'bind9-dnsutils'}`);
}

/**
 * BIND 9 (Debian `bind9`) as a parent zone on 127.0.0.1 and a free unprivileged port, with
 * its configuration, zones and keys in a temporary directory. Runs as the current user, in
 * the foreground (`named -g`), one worker thread. `stop()` kills it and removes the directory;
 * a process exit hook kills it if a test forgot to.
 */
export async function startBindServer(options: BindServerOptions): Promise<BindServer> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bind-'));
  const keyFiles = new Map<string, string>();
  const secrets = new Map<string, string>();
  for (const key of options.keys ?? []) {
    const text = execFileSync(program('tsig-keygen'), ['-a', key.algorithm ?? 'hmac-sha256', key.name], { encoding: 'utf8' });
    const file = join(dir, `${key.name}.key`);
    writeFileSync(file, text);
    keyFiles.set(key.name, file);
    secrets.set(key.name, /secret\s+"([^"]+)"/.exec(text)?.[1] ?? '');
  }
  for (const zone of options.zones) {
    writeFileSync(
      join(dir, `${zone.name}.zone`),
      [
        '$TTL 300',
        `@ IN SOA ns1.${zone.name}. hostmaster.${zone.name}. 1 60 60 3600 60`,
        `@ IN NS ns1.${zone.name}.`,
        'ns1 IN A 127.0.0.1',
        ...(zone.records ?? []),
        '',
      ].join('\n'),
    );
  }

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'named.conf');
    writeFileSync(
      conf,
      [
        ...[...keyFiles.values()].map((file) => `include "${file}";`),
        'options {',
        `  directory "${dir}";`,
        `  pid-file "${join(dir, 'named.pid')}";`,
        `  session-keyfile "${join(dir, 'session.key')}";`,
        `  managed-keys-directory "${dir}";`,
        `  listen-on port ${port} { 127.0.0.1; };`,
        '  listen-on-v6 { none; };',
        '  recursion no;',
        '  dnssec-validation no;',
        '  notify no;',
        '  allow-transfer { 127.0.0.1; };',
        '};',
        'controls { };',
        ...options.zones.map(
          (zone) =>
            `zone "${zone.name}" { type primary; file "${join(dir, `${zone.name}.zone`)}"; ` +
            `allow-update { ${(zone.updateKeys ?? []).map((k) => `key "${k}";`).join(' ') || 'none;'} }; };`,
        ),
        '',
      ].join('\n'),
    );
    execFileSync(program('named-checkconf'), [conf]);
    const child = spawn(program('named'), ['-g', '-n', '1', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let log = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        resolve();
      }),
    );
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const poll = setInterval(() => {
        if (/\brunning\b/.test(log)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(true);
        }
      }, 20);
      void exited.then(() => {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!started) {
      lastError = log;
      child.kill('SIGKILL');
      await exited;
      continue;
    }
    const dig = (args: readonly string[]) =>
      execFileSync(program('dig'), ['@127.0.0.1', '-p', String(port), '+norec', '+time=2', '+tries=1', ...args], { encoding: 'utf8' });
    return {
      host: '127.0.0.1',
      port,
      dir,
      keyFile: (name) => keyFiles.get(name) ?? '',
      secret: (name) => secrets.get(name) ?? '',
      dig,
      digShort: (name, type) =>
        dig(['+short', name, type])
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .sort(),
      nameservers: (zone) =>
        dig(['+noall', '+answer', '+authority', zone, 'NS'])
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[3] === 'NS' && f[0]?.toLowerCase() === `${zone.toLowerCase()}.`)
          .map((f) => f[4] as string)
          .sort(),
      axfr: (zone) =>
        dig(['+noall', '+answer', 'AXFR', zone])
          .split('\n')
          .map((l) => l.trim().replace(/\s+/g, ' '))
          .filter(Boolean),
      serial: (zone) => Number(dig(['+short', 'SOA', zone]).trim().split(/\s+/)[2]),
      log: () => log,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`named did not start:\n${lastError}`);
}
