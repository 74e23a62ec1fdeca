import { KubeTestServer } from '@meridian/kube-test-server';
import { nullLogger } from '@meridian/logging';
import { httpKubeClient, plainConnection } from './kube-client';
import { LeaseElector, microTime } from './lease-elector';

const until = async (predicate: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('LeaseElector against the test API server', () => {
  let server: KubeTestServer;
  const electors: LeaseElector[] = [];

  beforeEach(async () => {
    server = await KubeTestServer.start();
  });

  afterEach(async () => {
    for (const e of electors.splice(0)) await e.stop({ release: false });
    await server.stop();
  });

  const elector = (identity: string, leaseDurationMs = 600) => {
    const e = new LeaseElector({
      client: httpKubeClient(plainConnection(server.url)),
      namespace: 'meridian',
      name: 'meridian-records-eu',
      identity,
      leaseDurationMs,
      renewDeadlineMs: leaseDurationMs * 0.66,
      retryPeriodMs: 100,
      logger: nullLogger,
    });
    electors.push(e);
    return e;
  };

  const lease = () => server.get('coordination.k8s.io/v1', 'Lease', 'meridian', 'meridian-records-eu') as { spec: Record<string, unknown> } | undefined;

  it('one replica leads; the other takes over only once the lease has expired', async () => {
    const a = elector('a');
    a.start();
    await until(() => a.isLeader, 'a to lead');
    const b = elector('b');
    b.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(b.isLeader).toBe(false);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });

    const crashedAt = Date.now();
    await a.stop({ release: false });
    await until(() => b.isLeader, 'b to take over', 5000);
    const takeover = Date.now() - crashedAt;
    // b waits a full lease duration (1 s) from when it last saw the record change.
    expect(takeover).toBeGreaterThanOrEqual(600);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('a leader that stops releases the lease, and the next replica takes over at once', async () => {
    const a = elector('a', 5000);
    a.start();
    await until(() => a.isLeader, 'a to lead');
    const b = elector('b', 5000);
    b.start();
    await new Promise((r) => setTimeout(r, 200));
    const stoppedAt = Date.now();
    await a.stop();
    await until(() => b.isLeader, 'b to take over', 3000);
    expect(Date.now() - stoppedAt).toBeLessThan(1000);
  });

  it('a leader that cannot renew steps down within its renew deadline', async () => {
    const a = elector('a');
    a.start();
    await until(() => a.isLeader, 'a to lead');
    await server.stop();
    await until(() => !a.isLeader, 'a to step down', 3000);
  });

  it('writes MicroTime with microseconds', () => {
    expect(microTime(Date.UTC(2026, 10, 21, 12, 0, 0, 123))).toBe('2026-11-21T12:00:00.123000Z');
  });
});
