import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { parseWitnessHeartbeat } from '@meridian/records-engine';
import { DnsServiceClient, type GetServingStatusResponse, type LocalTargetsDelta, type LocalTargetsSnapshot } from '@meridian/proto';
import { startService, type ServiceProcess } from '@meridian/testing';
import { startBackends, type Backend } from './support/backend';
import { digShort } from './support/dig';
import { fakeProber, type FakeWatchServer } from './support/fake-watch-server';
import { hostHealth, recordsConfig, ZONE } from './support/proto-fixtures';

// The first end-to-end region: prober (file mode, active HTTP checks on two sample backends),
// records and dns as real processes; dig asks dns.

const HOST = `roundrobin.${ZONE}`;
const TARGETS = ['127.0.0.21', '127.0.0.22'];

function resourcesYaml(): string {
  return `---
apiVersion: k8gb.io/v1beta1
kind: Gslb
metadata:
  name: roundrobin
  namespace: demo
  annotations:
    k8gb.io/exposed-ip-addresses: "${TARGETS.join(',')}"
spec:
  ingress:
    rules:
      - host: ${HOST}
        http:
          paths:
            - path: /
              pathType: Prefix
              backend:
                service:
                  name: sample-app
                  port:
                    number: 80
  strategy:
    type: roundRobin
    dnsTtlSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: sample-app
  namespace: demo
spec:
  type: ClusterIP
  selector:
    app: sample-app
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: sample-app-1
  namespace: demo
  labels:
    kubernetes.io/service-name: sample-app
addressType: IPv4
ports:
  - port: 8080
    protocol: TCP
endpoints:
  - addresses: ["10.0.0.11"]
    conditions:
      ready: true
`;
}

async function readyz(proc: ServiceProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${proc.metricsPort}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${proc.stderr().slice(-2000)}`);
}

async function startDns(recordsAddresses: string[]): Promise<{ proc: ServiceProcess; port: number }> {
  const proc = await startService('dns', {
    config: { region: 'eu', dns: { host: '127.0.0.1', port: 0, workers: 1 }, records: { endpoints: recordsAddresses, heartbeatTimeoutSeconds: 1 } },
  });
  const listening = proc.logs.find((r) => r['msg'] === 'dns listening');
  if (!listening) throw new Error(`dns did not log "dns listening":\n${proc.stderr()}`);
  return { proc, port: listening['udpPort'] as number };
}

async function timeUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('first end-to-end region: prober → records → dns, asked with dig', () => {
  let backends: Backend[];
  let prober: ServiceProcess;
  let records: ServiceProcess;
  let dns: { proc: ServiceProcess; port: number };

  beforeAll(async () => {
    backends = await startBackends(TARGETS);
    const dir = mkdtempSync(join(tmpdir(), 'meridian-e2e-'));
    writeFileSync(join(dir, 'resources.yaml'), resourcesYaml());
    prober = await startService('prober', {
      config: {
        region: 'eu',
        zones: [ZONE],
        regions: ['eu'],
        source: { mode: 'file', file: { paths: [join(dir, 'resources.yaml')] } },
        checks: {
          defaults: { intervalSeconds: 0.2, timeoutSeconds: 0.2, rise: 1, fall: 1, jitter: 0 },
          hosts: [{ host: `*.${ZONE}`, checks: [{ name: 'backend', type: 'http', port: backends[0]?.port, path: '/healthz' }] }],
        },
      },
    });
    records = await startService('records', {
      config: {
        region: 'eu',
        regions: [{ geoTag: 'eu' }, { geoTag: 'us' }],
        dnsZones: [{ zone: ZONE, parentZone: 'example.com' }],
        inputs: { prober: prober.grpcAddress },
        witnessHeartbeat: { intervalSeconds: 0.5 },
      },
    });
    await readyz(records);
    dns = await startDns([records.grpcAddress]);
    await readyz(dns.proc);
  }, 60_000);

  afterAll(async () => {
    await dns?.proc.stop('SIGKILL');
    await records?.stop('SIGKILL');
    await prober?.stop('SIGKILL');
    await Promise.all((backends ?? []).map((b) => b.close()));
  });

  it("answers the host's targets, its localtargets- name, the apex NS and this region's witness heartbeat", async () => {
    await timeUntil(async () => (await digShort(dns.port, HOST)).length === 2, 'both targets', 10_000);
    expect(await digShort(dns.port, HOST)).toEqual(TARGETS);
    expect(await digShort(dns.port, `localtargets-${HOST}`)).toEqual(TARGETS);
    expect(await digShort(dns.port, ZONE, 'NS')).toEqual(['gslb-ns-eu-gslb.example.com.', 'gslb-ns-us-gslb.example.com.']);
    const heartbeat = async () => parseWitnessHeartbeat((await digShort(dns.port, `eu._witness.${ZONE}`, 'TXT'))[0]?.replace(/^"|"$/g, '') ?? '');
    const first = await heartbeat();
    expect(first).toMatchObject({ region: 'eu' });
    await timeUntil(async () => ((await heartbeat())?.sequence ?? 0) > (first?.sequence ?? 0), 'the heartbeat to move', 5000);
  });

  it('an unhealthy backend leaves the DNS answer; the time from the change to the answer is measured', async () => {
    const [first] = backends as [Backend];
    first.status = 503;
    const downMs = await timeUntil(async () => (await digShort(dns.port, HOST)).join() === '127.0.0.22', 'the answer without 127.0.0.21');
    first.status = 200;
    const upMs = await timeUntil(async () => (await digShort(dns.port, HOST)).length === 2, 'the answer with both again');
    process.stdout.write(
      `end to end (check interval 200 ms, fall 1, rise 1): backend unhealthy → dig answer without it in ${downMs} ms; healthy again → back in ${upMs} ms\n`,
    );
    expect(downMs).toBeLessThan(2000);
    expect(upMs).toBeLessThan(2000);
  });
});

describe('two dns servers on one records', () => {
  const HOSTS = Array.from({ length: 5 }, (_, i) => `h${i}.${ZONE}`);
  const snapshot = (healthy: boolean[]): LocalTargetsSnapshot => ({
    region: 'eu',
    hosts: HOSTS.map((h, i) => hostHealth(h, { [`10.1.0.${i + 1}`]: healthy[i] ?? true, [`10.1.1.${i + 1}`]: true })),
    problems: [],
  });

  const status = (proc: ServiceProcess) =>
    new Promise<GetServingStatusResponse>((resolve, reject) => {
      const client = new DnsServiceClient(proc.grpcAddress, credentials.createInsecure());
      client.getServingStatus({}, (err, res) => {
        client.close();
        if (err) reject(err);
        else resolve(res as GetServingStatusResponse);
      });
    });

  it('both converge to the same zone version after every change, and a restarted records makes neither serve an older zone', async () => {
    const prober: FakeWatchServer<LocalTargetsSnapshot, LocalTargetsDelta> = await fakeProber(snapshot([])).start();
    const config = recordsConfig({ prober: prober.address });
    let records: ServiceProcess | undefined;
    const servers: { proc: ServiceProcess; port: number }[] = [];
    const seen: number[][] = [[], []];
    const versions = async () => {
      const all = await Promise.all(servers.map((s) => status(s.proc)));
      all.forEach((s, i) => seen[i]?.push(s.zoneVersion));
      return all.map((s) => s.zoneVersion);
    };
    try {
      records = await startService('records', { config });
      const port = records.grpcPort;
      servers.push(await startDns([`127.0.0.1:${port}`]), await startDns([`127.0.0.1:${port}`]));
      const [dnsA, dnsB] = servers as [{ proc: ServiceProcess; port: number }, { proc: ServiceProcess; port: number }];
      await Promise.all(servers.map((s) => readyz(s.proc)));
      const healthy = HOSTS.map(() => true);
      for (let change = 0; change < HOSTS.length; change++) {
        healthy[change] = false;
        const next = snapshot(healthy);
        prober.publish(next, { upserted: next.hosts.slice(change, change + 1), removedHosts: [], problems: [], problemsChanged: false });
        const host = HOSTS[change] as string;
        await timeUntil(async () => (await digShort(dnsA.port, host)).length === 1 && (await digShort(dnsB.port, host)).length === 1, `change ${change} at both`);
        await timeUntil(async () => new Set(await versions()).size === 1, `the same version after change ${change}`);
      }
      const before = Math.max(...(await versions()));

      await records.stop('SIGKILL');
      // Static stability: both keep answering from their last zone while records is gone.
      expect(await digShort(dnsA.port, `h0.${ZONE}`)).toEqual(['10.1.1.1']);
      records = await startService('records', { config: { ...config, grpc: { host: '127.0.0.1', port } } });
      await timeUntil(async () => (await versions()).every((v) => v > before), 'both on the restarted records', 20_000);
      await timeUntil(async () => new Set(await versions()).size === 1, 'the same version after the restart');
      for (const history of seen) expect(history).toEqual([...history].sort((a, b) => a - b));
      expect(await digShort(dnsB.port, `h4.${ZONE}`)).toEqual(['10.1.1.5']);
    } finally {
      for (const s of servers) await s.proc.stop('SIGKILL');
      await records?.stop('SIGKILL');
      await prober.stop();
    }
  }, 60_000);
});
