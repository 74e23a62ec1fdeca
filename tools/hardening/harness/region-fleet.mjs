// Two regions (eu, us) on loopback, like `npm start`, but on free ports and with two records
// replicas per region: every service is its own process (apps/<app>/dist/main.js), configured
// from the demo's example configs (apps/<app>/config/example-<region>.yaml) with the ports
// rewritten. Any service can be killed (SIGKILL or SIGTERM) and restarted with the same config.
// eu's dns lists its records replicas as [records-1, records-2], us's as [records-2, records-1],
// so the two nameservers start on replicas whose versions differ (ADR dns-0004).
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { query } from './dns-probe.mjs';
import { freePort } from '../../lib/free-port.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const REGIONS = ['eu', 'us'];
export const SERVICES = ['prober', 'peer-sync', 'witness', 'records-1', 'records-2', 'dns'];
export const ZONE = 'gslb.example.com';
/** What failover.gslb.example.com answers while eu is healthy, and when only us is. */
export const ADDRESSES = { eu: '192.0.2.10', us: '198.51.100.10' };

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const appOf = (service) => service.replace(/-\d$/, '');
const example = (app, region) => parse(readFileSync(join(root, 'apps', app, 'config', `example-${region}.yaml`), 'utf8'));

async function allocate() {
  const ports = {};
  for (const region of REGIONS) {
    const p = { sample: await freePort(), dnsPort: await freePort({ udp: true }) };
    for (const service of SERVICES) p[service] = { grpc: await freePort(), metrics: await freePort() };
    ports[region] = p;
  }
  return ports;
}

function configs(ports, dir, { logLevel, graceSeconds }) {
  const files = {};
  for (const region of REGIONS) {
    const p = ports[region];
    const other = REGIONS.find((r) => r !== region);
    const common = (service, config) => ({
      ...config,
      grpc: { ...config.grpc, port: p[service].grpc },
      metrics: { ...config.metrics, port: p[service].metrics },
      log: { level: logLevel },
      shutdown: { graceSeconds },
    });
    const prober = common('prober', example('prober', region));
    prober.source.file.paths = [join(root, 'apps', 'prober', 'config', `resources-${region}.yaml`)];
    prober.checks.hosts[0].checks[0].url = `http://127.0.0.1:${p.sample}/healthz`;
    const peerSync = common('peer-sync', example('peer-sync', region));
    peerSync.prober.address = `127.0.0.1:${p.prober.grpc}`;
    peerSync.peering.peers = peerSync.peering.peers.map((peer) => ({ ...peer, address: `127.0.0.1:${ports[peer.region]['peer-sync'].grpc}` }));
    const witness = common('witness', example('witness', region));
    witness.witness.regions = witness.witness.regions.map((r) => ({ ...r, nameservers: [`127.0.0.1:${ports[r.geotag].dnsPort}`] }));
    witness.witness.peers = [{ region: other, address: `127.0.0.1:${ports[other].witness.grpc}` }];
    const records = (service) => {
      const c = common(service, example('records', region));
      c.inputs = { ...c.inputs, prober: `127.0.0.1:${p.prober.grpc}`, peerSync: `127.0.0.1:${p['peer-sync'].grpc}`, witness: `127.0.0.1:${p.witness.grpc}` };
      return c;
    };
    const dns = common('dns', example('dns', region));
    dns.dns = { ...dns.dns, port: p.dnsPort };
    const replicas = [`127.0.0.1:${p['records-1'].grpc}`, `127.0.0.1:${p['records-2'].grpc}`];
    dns.records = { ...dns.records, endpoints: region === 'eu' ? replicas : replicas.reverse() };
    const all = { prober, 'peer-sync': peerSync, witness, 'records-1': records('records-1'), 'records-2': records('records-2'), dns };
    files[region] = {};
    for (const [service, config] of Object.entries(all)) {
      const file = join(dir, `${region}-${service}.yaml`);
      writeFileSync(file, stringify(config));
      files[region][service] = file;
    }
  }
  return files;
}

/**
 * Starts both regions and waits until both nameservers answer failover.gslb.example.com with
 * eu's address. `dir` receives the configs and one log per process (per incarnation).
 */
export async function startFleet({ dir, logLevel = 'warn', graceSeconds = 2, readyTimeoutMs = 90_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  const ports = await allocate();
  const files = configs(ports, dir, { logLevel, graceSeconds });
  const fleet = new Fleet(dir, ports, files);
  try {
    for (const region of REGIONS) fleet.launch(region, 'sample-app');
    for (const service of SERVICES) for (const region of REGIONS) fleet.launch(region, service);
    await fleet.waitConverged('eu', readyTimeoutMs);
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  return fleet;
}

class Fleet {
  constructor(dir, ports, files) {
    this.dir = dir;
    this.ports = ports;
    this.files = files;
    /** `${region}/${service}` → the running process entry. */
    this.procs = new Map();
    this.incarnations = new Map();
    this.stopping = false;
    /** Unexpected exits (a crash the harness did not cause). */
    this.crashes = [];
    // Should this process die first (an uncaught error, Ctrl-C, a test's timeout), it takes
    // the fleet with it.
    this.onExit = () => {
      for (const e of this.procs.values()) if (!e.exited) e.child.kill('SIGKILL');
    };
    this.onSignal = (signal) => {
      this.onExit();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  nameserver(region) {
    return this.ports[region].dnsPort;
  }

  sampleApp(region) {
    return `http://127.0.0.1:${this.ports[region].sample}`;
  }

  launch(region, service) {
    const key = `${region}/${service}`;
    const incarnation = (this.incarnations.get(key) ?? 0) + 1;
    this.incarnations.set(key, incarnation);
    const args =
      service === 'sample-app'
        ? [join(root, 'tools', 'demo', 'sample-app.mjs'), '--region', region, '--port', String(this.ports[region].sample)]
        : [join(root, 'apps', appOf(service), 'dist', 'main.js'), '--config', this.files[region][service]];
    const log = createWriteStream(join(this.dir, `${region}-${service}.${incarnation}.log`));
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { region, service, child, pid: child.pid, incarnation, exited: false, expectedExit: false, tail: [] };
    entry.exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const onData = (chunk) => {
      log.write(chunk);
      const text = chunk.toString();
      for (const line of text.split('\n').filter(Boolean)) {
        entry.tail.push(line);
        if (entry.tail.length > 20) entry.tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void entry.exitPromise.then(({ code, signal }) => {
      entry.exited = true;
      log.end();
      if (!entry.expectedExit && !this.stopping) this.crashes.push({ region, service, incarnation, exit: signal ?? `code ${code}`, tail: entry.tail.slice() });
    });
    this.procs.set(key, entry);
    return entry;
  }

  /** Every live service process (not the sample apps), for the RSS sampler. */
  services() {
    return [...this.procs.values()].filter((e) => e.service !== 'sample-app' && !e.exited);
  }

  /** Sends `signal` and waits for the exit; returns how long the exit took (ms). */
  async kill(region, service, signal, timeoutMs = 15_000) {
    const entry = this.procs.get(`${region}/${service}`);
    if (!entry || entry.exited) throw new Error(`${region} ${service} is not running`);
    entry.expectedExit = true;
    const started = Date.now();
    entry.child.kill(signal);
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), timeoutMs);
    const exit = await entry.exitPromise;
    clearTimeout(timer);
    return { ms: Date.now() - started, exit: exit.signal ?? `code ${exit.code}` };
  }

  /** Starts `service` again with its config; resolves once its gRPC port accepts connections. */
  async restart(region, service, timeoutMs = 30_000) {
    const entry = this.launch(region, service);
    const started = Date.now();
    const port = this.ports[region][service].grpc;
    while (!(await accepts(port))) {
      if (entry.exited) throw new Error(`${region} ${service} exited while starting:\n${entry.tail.join('\n')}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${region} ${service} did not listen on ${port} within ${timeoutMs} ms:\n${entry.tail.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return Date.now() - started;
  }

  /** A gauge from a service's /metrics (its first sample), or undefined when it cannot be read. */
  async metric(region, service, name) {
    try {
      const res = await fetch(`http://127.0.0.1:${this.ports[region][service].metrics}/metrics`);
      const text = await res.text();
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** POST /fail or /recover on a region's sample app. */
  async setHealthy(region, healthy) {
    const res = await fetch(`${this.sampleApp(region)}/${healthy ? 'recover' : 'fail'}`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`sample app ${region}: HTTP ${res.status}`);
  }

  /**
   * Waits until both nameservers answer failover.gslb.example.com with `expected`'s address;
   * returns the time it took (ms).
   */
  async waitConverged(expected, timeoutMs = 30_000) {
    const started = Date.now();
    for (;;) {
      const replies = await Promise.all(REGIONS.map((r) => query(this.nameserver(r), `failover.${ZONE}`, 'A', 500)));
      if (replies.every((reply) => reply.addresses?.length === 1 && reply.addresses[0] === ADDRESSES[expected])) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`both nameservers did not answer ${ADDRESSES[expected]} within ${timeoutMs} ms (last: ${JSON.stringify(replies)}); crashes: ${JSON.stringify(this.crashes)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM to everything still running, SIGKILL after 10 s. */
  async stop() {
    this.stopping = true;
    const live = [...this.procs.values()].filter((e) => !e.exited);
    for (const e of live) {
      e.expectedExit = true;
      e.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => live.forEach((e) => !e.exited && e.child.kill('SIGKILL')), 10_000);
    await Promise.all(live.map((e) => e.exitPromise));
    clearTimeout(timer);
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
