import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Drives the README's walk-through through `npm start` itself: both nameservers answer the
// four hosts, eu's sample app fails and both move failover.gslb.example.com to us, it
// recovers and both move back, and Ctrl-C (SIGINT to the process group) stops everything.
const root = join(__dirname, '..', '..', '..');
const run = promisify(execFile);
const EU = ['192.0.2.10'];
const US = ['198.51.100.10'];
const HOSTS = ['roundrobin', 'failover', 'geo', 'weighted'].map((h) => `${h}.gslb.example.com`);
const NAMESERVERS = { eu: '5053', us: '5054' };

async function dig(port: string, name: string, ...extra: string[]): Promise<string[]> {
  try {
    const { stdout } = await run('dig', ['@127.0.0.1', '-p', port, name, 'A', '+short', '+time=1', '+tries=1', ...extra]);
    return stdout.split('\n').filter(Boolean).sort();
  } catch {
    return [];
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

async function post(path: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:18081${path}`, { method: 'POST' });
  expect(res.status).toBe(200);
}

describe('npm start (the two-region demo)', () => {
  let demo: ChildProcess;
  let output = '';

  afterAll(async () => {
    // After a failure: Ctrl-C, so the demo stops the services it started (they run in
    // process groups of their own and would outlive a SIGKILL of npm).
    if (!demo?.pid || output.includes('▸ stopped')) return;
    try {
      process.kill(-demo.pid, 'SIGINT');
    } catch {
      return;
    }
    await until('the demo to stop after a failure', async () => output.includes('▸ stopped'), 20_000).catch(() => undefined);
  }, 30_000);

  it('serves all four hosts at both nameservers, fails over and back, and stops cleanly', async () => {
    demo = spawn('npm', ['start'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    demo.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<string>((resolve) => demo.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));

    const ready = await until(
      'all four hosts at both nameservers',
      async () => {
        for (const port of Object.values(NAMESERVERS)) {
          for (const host of HOSTS) if ((await dig(port, host)).length === 0) return false;
        }
        return true;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
    console.log(`demo: all four hosts answered at both nameservers ${ready} ms after npm start`);
    expect(output).toContain('Meridian is running');

    for (const port of Object.values(NAMESERVERS)) {
      expect(await dig(port, 'failover.gslb.example.com')).toEqual(EU);
      expect(await dig(port, 'geo.gslb.example.com', '+subnet=10.1.0.0/16')).toEqual(EU);
      expect(await dig(port, 'geo.gslb.example.com', '+subnet=10.2.0.0/16')).toEqual(US);
      expect(await dig(port, 'localtargets-failover.gslb.example.com')).toEqual(port === '5053' ? EU : US);
    }

    // The operator's view of the same answer: strategy, verdicts and health reasons.
    const { stdout: explained } = await run('npx', ['meridianctl', 'explain', 'failover.gslb.example.com'], { cwd: root });
    expect(explained).toMatch(/strategy\s+failover; primary eu/);
    expect(explained).toMatch(/REGION\s+LOCAL\s+VERDICT/);
    expect(explained).toMatch(/us\s+no\s+(alive|unknown|down)/);
    expect(explained).toContain('HTTP 200 (127.0.0.1:18081)');
    expect(explained).toContain('Answer: 192.0.2.10');

    await post('/fail');
    const failover = await until(
      'failover.gslb.example.com to answer us at both nameservers',
      async () => (await dig(NAMESERVERS.eu, 'failover.gslb.example.com')).join() === US.join() && (await dig(NAMESERVERS.us, 'failover.gslb.example.com')).join() === US.join(),
      20_000,
    );
    console.log(`demo: POST /fail → both nameservers answer us after ${failover} ms`);

    await post('/recover');
    const back = await until(
      'failover.gslb.example.com to answer eu again at both nameservers',
      async () => (await dig(NAMESERVERS.eu, 'failover.gslb.example.com')).join() === EU.join() && (await dig(NAMESERVERS.us, 'failover.gslb.example.com')).join() === EU.join(),
      20_000,
    );
    console.log(`demo: POST /recover → both nameservers answer eu after ${back} ms`);

    // Ctrl-C: the terminal sends SIGINT to the foreground process group (npm and the script).
    process.kill(-(demo.pid as number), 'SIGINT');
    expect(['SIGINT', 'code 0', 'code 130']).toContain(await exited);
    await until('the demo to report it stopped', async () => output.includes('▸ stopped'), 15_000);
    // Nothing listens any more: the nameservers and the sample apps are gone.
    expect(await dig(NAMESERVERS.eu, 'failover.gslb.example.com')).toEqual([]);
    await expect(fetch('http://127.0.0.1:18081/healthz')).rejects.toThrow();
  }, 150_000);
});
