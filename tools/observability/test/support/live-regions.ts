import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startService, WORKSPACE_ROOT, type ServiceProcess } from '@meridian/testing';
import { freePorts } from './free-port';

export const APPS = ['prober', 'peer-sync', 'witness', 'records', 'dns'] as const;
export type AppName = (typeof APPS)[number];
export const REGIONS = ['eu', 'us'] as const;
export type RegionName = (typeof REGIONS)[number];

export interface RegionPorts {
  sampleApp: number;
  dns: number;
  grpc: Record<AppName, number>;
}

export interface LiveRegion {
  name: RegionName;
  ports: RegionPorts;
  services: Record<AppName, ServiceProcess>;
  sampleApp: ChildProcess;
}

export interface LiveRegions {
  regions: Record<RegionName, LiveRegion>;
  /** Every service's metrics endpoint, `127.0.0.1:<port>`, with its app and region. */
  metricsTargets(): { app: AppName; region: RegionName; address: string }[];
  stop(): Promise<void>;
}

type Config = Record<string, unknown>;

function example(app: AppName, region: RegionName): Config {
  return parse(readFileSync(join(WORKSPACE_ROOT, 'apps', app, 'config', `example-${region}.yaml`), 'utf8')) as Config;
}

/**
 * The demo's example configs (apps/<app>/config/example-<region>.yaml) with every port
 * replaced by a free one, so this runs beside `npm start` and the demo test. Metrics ports
 * are 0: each service reports the one it bound.
 */
export function regionConfigs(region: RegionName, all: Record<RegionName, RegionPorts>): Record<AppName, Config> {
  const me = all[region];
  const other = REGIONS.find((r) => r !== region) as RegionName;
  const addr = (port: number) => `127.0.0.1:${port}`;
  const base = (app: AppName): Config => ({
    ...example(app, region),
    grpc: { host: '127.0.0.1', port: me.grpc[app] },
    metrics: { host: '127.0.0.1', port: 0 },
    shutdown: { graceSeconds: 1 },
  });

  const prober = base('prober');
  const proberSource = prober['source'] as { file: { paths: string[] } };
  proberSource.file.paths = proberSource.file.paths.map((p) => join(WORKSPACE_ROOT, 'apps', 'prober', 'config', p));
  const checks = prober['checks'] as { hosts: { checks: { url: string }[] }[] };
  for (const h of checks.hosts) for (const c of h.checks) c.url = `http://127.0.0.1:${me.sampleApp}/healthz`;

  const peerSync = base('peer-sync');
  peerSync['prober'] = { address: addr(me.grpc.prober) };
  const peering = peerSync['peering'] as { peers: { address: string }[] };
  for (const p of peering.peers) p.address = addr(all[other].grpc['peer-sync']);

  const witness = base('witness');
  const w = witness['witness'] as { regions: { geotag: RegionName; nameservers: string[] }[]; peers: { address: string }[] };
  for (const r of w.regions) r.nameservers = [addr(all[r.geotag].dns)];
  for (const p of w.peers) p.address = addr(all[other].grpc.witness);

  const records = base('records');
  records['inputs'] = { ...(records['inputs'] as Config), prober: addr(me.grpc.prober), peerSync: addr(me.grpc['peer-sync']), witness: addr(me.grpc.witness) };

  const dns = base('dns');
  dns['dns'] = { ...(dns['dns'] as Config), host: '127.0.0.1', port: me.dns };
  dns['records'] = { endpoints: [addr(me.grpc.records)] };

  return { prober, 'peer-sync': peerSync, witness, records, dns };
}

function startSampleApp(region: RegionName, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'tools', 'demo', 'sample-app.mjs'), '--region', region, '--port', String(port), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sample app ${region} did not start: ${out}`)), 10_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('sample app listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sample app ${region} exited with ${code}: ${out}`)));
  });
}

/**
 * Both demo regions (eu, us) as real processes on loopback: per region a sample app and the
 * five services in file mode, started in the demo's order, witnesses last (as
 * tools/scenarios does: their first round should find every nameserver up).
 */
export async function startLiveRegions(): Promise<LiveRegions> {
  const perRegion = 2 + APPS.length;
  const ports = await freePorts(perRegion * REGIONS.length, { udp: true });
  const all = {} as Record<RegionName, RegionPorts>;
  REGIONS.forEach((region, i) => {
    const [sampleApp, dns, ...grpc] = ports.slice(i * perRegion, (i + 1) * perRegion) as number[];
    all[region] = { sampleApp: sampleApp as number, dns: dns as number, grpc: Object.fromEntries(APPS.map((app, j) => [app, grpc[j] as number])) as Record<AppName, number> };
  });

  const started: ServiceProcess[] = [];
  const sampleApps: ChildProcess[] = [];
  const regions = {} as Record<RegionName, LiveRegion>;
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop('SIGTERM')));
    for (const child of sampleApps) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(sampleApps.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  };
  try {
    const configs = Object.fromEntries(REGIONS.map((r) => [r, regionConfigs(r, all)])) as Record<RegionName, Record<AppName, Config>>;
    for (const region of REGIONS) {
      const sampleApp = await startSampleApp(region, all[region].sampleApp);
      sampleApps.push(sampleApp);
      const services = {} as Record<AppName, ServiceProcess>;
      for (const app of ['prober', 'peer-sync', 'records', 'dns'] as const) {
        services[app] = await startService(app, { config: configs[region][app], timeoutMs: 30_000 });
        started.push(services[app]);
      }
      regions[region] = { name: region, ports: all[region], services, sampleApp };
    }
    for (const region of REGIONS) {
      regions[region].services.witness = await startService('witness', { config: configs[region].witness, timeoutMs: 30_000 });
      started.push(regions[region].services.witness);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    regions,
    metricsTargets: () => REGIONS.flatMap((region) => APPS.map((app) => ({ app, region, address: `127.0.0.1:${regions[region].services[app].metricsPort}` }))),
    stop,
  };
}
