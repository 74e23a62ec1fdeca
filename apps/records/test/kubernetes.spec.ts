import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeTestServer } from '@meridian/kube-test-server';
import type { LocalTargetsDelta, LocalTargetsSnapshot } from '@meridian/proto';
import { scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';
import { fakeProber, type FakeWatchServer } from './support/fake-watch-server';
import { hostHealth, recordsConfig, ZONE } from './support/proto-fixtures';
import { until } from './support/zone-watcher';

const APP = `app.${ZONE}`;

interface LeaseJson {
  spec: { holderIdentity: string; leaseTransitions: number };
}

function local(first: boolean): LocalTargetsSnapshot {
  return { region: 'eu', hosts: [hostHealth(APP, { '10.1.0.1': first, '10.1.0.2': true }, { gslb: 'demo/app' })], problems: [] };
}

/** The value of a metric sample in a scrape, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('records in Kubernetes mode: two replicas, one Lease', () => {
  let server: KubeTestServer;
  let prober: FakeWatchServer<LocalTargetsSnapshot, LocalTargetsDelta>;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    server = await KubeTestServer.start();
    server.put({ apiVersion: 'k8gb.io/v1beta1', kind: 'Gslb', metadata: { name: 'app', namespace: 'demo' }, spec: { strategy: { type: 'roundRobin' } } });
    prober = await fakeProber(local(true)).start();
  });

  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGKILL');
    await prober?.stop();
    await server?.stop();
  });

  const start = async (identity: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'records-kube-'));
    const kubeconfig = join(dir, 'kubeconfig.json');
    writeFileSync(kubeconfig, server.kubeconfig());
    const proc = await startService('records', {
      config: recordsConfig(
        { prober: prober.address },
        {
          kubernetes: {
            kubeconfig,
            namespace: 'meridian',
            identity,
            leaseDurationSeconds: 2,
            renewDeadlineSeconds: 1.5,
            retryPeriodSeconds: 0.2,
            statusIntervalSeconds: 0.1,
          },
        },
      ),
    });
    replicas.push(proc);
    return proc;
  };
  const metrics = (p: ServiceProcess) => scrapeMetrics(p.metricsPort);
  const status = () => (server.get('k8gb.io/v1beta1', 'Gslb', 'demo', 'app') as { status?: { healthyRecords?: Record<string, string[]>; serviceHealth?: Record<string, string>; geoTag?: string; hosts?: string } }).status;
  const written = async (p: ServiceProcess) => sample(await metrics(p), 'meridian_records_gslb_status_writes_total{result="written"}');

  it('the leader alone writes Gslb status; the other replica takes over when the Lease expires', async () => {
    const a = await start('records-a');
    await until(() => status()?.healthyRecords?.[APP]?.length === 2, 'the first status');
    expect(status()).toEqual({ serviceHealth: { [APP]: 'Healthy' }, healthyRecords: { [APP]: ['10.1.0.1', '10.1.0.2'] }, geoTag: 'eu', hosts: APP });
    const b = await start('records-b');
    await new Promise((r) => setTimeout(r, 800));
    expect(sample(await metrics(a), 'meridian_records_leader')).toBe(1);
    expect(sample(await metrics(b), 'meridian_records_leader')).toBe(0);

    // A change is written by the leader only, although both replicas compute it.
    const down = local(false);
    prober.publish(down, { upserted: down.hosts, removedHosts: [], problems: [], problemsChanged: false });
    await until(() => status()?.healthyRecords?.[APP]?.length === 1, 'the status after the change');
    expect(await written(a)).toBeGreaterThanOrEqual(2);
    expect(await written(b)).toBe(0);

    // The leader dies without releasing the Lease: b takes over once it expires (2 s).
    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await until(() => (server.get('coordination.k8s.io/v1', 'Lease', 'meridian', 'meridian-records-eu') as unknown as LeaseJson).spec.holderIdentity === 'records-b', 'b to take the Lease', 8000);
    const takeoverMs = Date.now() - killedAt;
    process.stdout.write(`records: the second replica took the Lease ${takeoverMs} ms after the leader was killed (lease 2 s)\n`);
    expect(takeoverMs).toBeGreaterThanOrEqual(1500);
    const up = local(true);
    prober.publish(up, { upserted: up.hosts, removedHosts: [], problems: [], problemsChanged: false });
    await until(() => status()?.healthyRecords?.[APP]?.length === 2, 'the status written by the new leader');
    expect(await written(b)).toBeGreaterThanOrEqual(1);
    expect((server.get('coordination.k8s.io/v1', 'Lease', 'meridian', 'meridian-records-eu') as unknown as LeaseJson).spec.leaseTransitions).toBe(1);
  }, 30_000);
});
