import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { WireDnsClient, RRType } from '@meridian/dns-wire';
import { describeWithNetns, isAlive, listNamespaces, Network, parseHeartbeat, run, runBaseOf, sweep, type DigResult } from './support';

/** Polls `probe` until `done` holds, returning the last result and how long it took. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ok = (r: DigResult) => r.status === 'NOERROR' && r.answer.some((a) => a.type === 'TXT');
const failed = (r: DigResult) => r.status !== 'NOERROR';

describeWithNetns('Network: the multi-region test network', () => {
  let net: Network;
  let hostLinksBefore: string;

  beforeAll(async () => {
    hostLinksBefore = (await run('ip', ['-o', 'link', 'show'])).stdout;
    const started = Date.now();
    net = await Network.create({ regions: ['eu', 'us'] });
    for (const geotag of ['eu', 'us']) await net.startResponder(geotag, net.regionZone(geotag));
    process.stdout.write(`network of ${net.allNodes.length} namespaces with BIND, 4 Unbound and 2 responders up in ${Date.now() - started} ms\n`);
  }, 60_000);

  afterAll(async () => {
    await net?.destroy();
  }, 30_000);

  it('adds namespaces and nothing else to the host', async () => {
    const ours = listNamespaces().filter((n) => n.startsWith(runBaseOf(net)));
    expect(ours).toHaveLength(net.allNodes.length + 1);
    expect((await run('ip', ['-o', 'link', 'show'])).stdout).toBe(hostLinksBefore);
  });

  it('has the edge delegate the GSLB zone to every region’s nameserver, named and addressed in the parent zone', async () => {
    const referral = await net.dig('client', 'edge', 'x.gslb.example.com', 'A', { recurse: false });
    expect(referral.flags).not.toContain('aa');
    expect(referral.authority.map((r) => r.data).sort()).toEqual(['gslb-ns-eu-gslb.example.com.', 'gslb-ns-us-gslb.example.com.']);
    for (const region of Object.values(net.regions)) {
      const address = await net.dig('client', 'edge', region.nameserver, 'A', { recurse: false });
      expect(address.answer.map((r) => r.data)).toEqual([region.address]);
    }
  });

  it.each(['witness-1', 'witness-2', 'witness-3', 'client'])('lets resolver %s resolve each region’s heartbeat from the root down', async (resolver) => {
    for (const geotag of ['eu', 'us']) {
      const answer = await net.dig(resolver, resolver, net.region(geotag).heartbeatName, 'TXT');
      expect(answer.status).toBe('NOERROR');
      expect(parseHeartbeat(answer).region).toBe(geotag);
    }
  });

  it('cuts one region off from one witness: its heartbeat fails there only, and comes back when healed', async () => {
    const eu = net.region('eu').heartbeatName;
    await net.cut('eu', 'witness-1');
    expect(net.connected('eu', 'witness-1')).toBe(false);
    const down = await until(() => net.dig('witness-1', 'witness-1', eu, 'TXT'), failed, 20_000);
    process.stdout.write(`eu's heartbeat failed at witness-1 ${down.ms} ms after the cut (${down.value.status})\n`);
    expect(ok(await net.dig('witness-1', 'witness-1', net.region('us').heartbeatName, 'TXT'))).toBe(true);
    expect(ok(await net.dig('witness-2', 'witness-2', eu, 'TXT'))).toBe(true);

    await net.heal('eu', 'witness-1');
    const before = parseHeartbeat(await net.dig('witness-2', 'witness-2', eu, 'TXT')).sequence ?? 0;
    const up = await until(() => net.dig('witness-1', 'witness-1', eu, 'TXT'), ok, 20_000);
    process.stdout.write(`eu's heartbeat answered at witness-1 again ${up.ms} ms after healing\n`);
    expect(parseHeartbeat(up.value).sequence).toBeGreaterThanOrEqual(before);
  }, 60_000);

  it('isolates a region from everyone, and rejoins it', async () => {
    const us = net.region('us').heartbeatName;
    await net.isolate('us');
    expect(net.cuts).toEqual(['all:us>', 'all:>us']);
    const down = await Promise.all(['witness-1', 'witness-2', 'witness-3'].map((w) => until(() => net.dig(w, w, us, 'TXT'), failed, 20_000)));
    process.stdout.write(`us isolated: its heartbeat failed at the witnesses after ${down.map((d) => d.ms).join(', ')} ms\n`);
    // Its own loopback still works: services inside a region keep talking to each other.
    expect(ok(await net.dig('us', net.region('us').address, us, 'TXT', { recurse: false }))).toBe(true);
    await net.rejoin('us');
    await Promise.all(['witness-1', 'witness-2', 'witness-3'].map((w) => until(() => net.dig(w, w, us, 'TXT'), ok, 20_000)));
    expect(net.cuts).toEqual([]);
  }, 90_000);

  it('forwards a TCP port inside a namespace to the host’s loopback', async () => {
    const forward = await net.forward('eu', 53, net.region('eu').address);
    const client = new WireDnsClient({ host: forward.host, port: forward.port, timeoutMs: 2_000 });
    const reply = await client.query({ name: net.region('eu').heartbeatName, type: RRType.TXT, transport: 'tcp' });
    expect(reply.aa).toBe(true);
    expect(reply.answers[0]?.data).toMatchObject({ kind: 'txt' });
    await forward.close();
  });

  it('runs programs inside a namespace with their output captured', async () => {
    const proc = await net.start('us', 'echo', 'sh', ['-c', 'ip -o -4 addr show dev eth0; echo done'], { ready: /done/ });
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain(net.region('us').address);
    expect(existsSync(net.path('logs', 'us-echo.log'))).toBe(true);
  });

  it('starts another resolver in a node (here without a cache) and asks it one question many times with one dig', async () => {
    const resolver = await net.startResolver('client', { name: 'unbound-nocache', port: 5301, options: ['cache-max-ttl: 0', 'rrset-roundrobin: no'] });
    expect(resolver.running).toBe(true);
    expect(existsSync(net.path('client', 'unbound-nocache', 'unbound.conf'))).toBe(true);
    const replies = await net.digRepeat('client', 'client', net.region('eu').heartbeatName, 'TXT', 20, { port: 5301 });
    expect(replies).toHaveLength(20);
    expect(replies.map((r) => [r.status, parseHeartbeat(r).region])).toEqual(Array.from({ length: 20 }, () => ['NOERROR', 'eu']));
    // The network's own client resolver on port 53 is still there, unchanged.
    expect((await net.dig('client', 'client', net.region('us').heartbeatName, 'TXT')).status).toBe('NOERROR');
  });

  it('leaves nothing behind when destroyed', async () => {
    const base = runBaseOf(net);
    const pids = net.processPids();
    expect(pids.length).toBeGreaterThanOrEqual(7);
    await net.destroy();
    expect(listNamespaces().filter((n) => n.startsWith(base))).toEqual([]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(net.dir)).toBe(false);
  }, 30_000);
});

describeWithNetns('Network cleanup when things go wrong', () => {
  it('is torn down by the exit handlers when its process is killed with SIGTERM', async () => {
    // A separate process builds a network and is then terminated, as a cancelled test run is.
    const script = `
      const { Network } = require(${JSON.stringify(require.resolve('../dist/index.js'))});
      Network.create({ regions: ['eu'], witnessResolvers: 1, clientResolver: false, prefix: 'mrdsig' })
        .then((n) => console.log(JSON.stringify({ base: n.dir })));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    const dir = (JSON.parse(line) as { base: string }).base;
    const base = dir.split('/').pop() as string;
    expect(listNamespaces().filter((n) => n.startsWith(base)).length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(listNamespaces().filter((n) => n.startsWith(base))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it('sweeps what a run killed with SIGKILL left: its namespaces and the processes inside', async () => {
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    const ns = `mrdswp${dead.pid}xabcdef-eu`;
    await run('ip', ['netns', 'add', ns]);
    const orphan = spawn('ip', ['netns', 'exec', ns, 'sleep', '300'], { stdio: 'ignore', detached: true });
    orphan.unref();
    await new Promise((r) => setTimeout(r, 200));
    expect(isAlive(orphan.pid as number)).toBe(true);
    const report = sweep({ prefix: 'mrdswp' });
    expect(report.namespaces).toEqual([ns]);
    expect(report.killed).toContain(orphan.pid);
    expect(listNamespaces()).not.toContain(ns);
  });

  it('refuses to run without root, saying why', async () => {
    const script = `
      const { Network } = require(${JSON.stringify(require.resolve('../dist/index.js'))});
      Network.create({ regions: ['eu'] }).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); });`;
    const out = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { check: false });
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('the multi-region test network cannot run here');
    expect(out.stderr).toContain('network namespaces need root');
  });
});
