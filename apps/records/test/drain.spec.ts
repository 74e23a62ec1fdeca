import { credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { RecordsServiceClient, type WatchZoneResponse } from '@meridian/proto';
import { healthClient, startService } from '@meridian/testing';

const until = async (predicate: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('records on SIGTERM', () => {
  it('turns health NOT_SERVING, finishes the in-flight WatchZone stream, then exits 0', async () => {
    const proc = await startService('records', { config: { region: 'eu', shutdown: { graceSeconds: 5 }, streams: { heartbeatSeconds: 0.2 } } });
    const events: string[] = [];
    const note = (event: string) => events.push(event);
    const health = healthClient(proc.grpcAddress);
    const records = new RecordsServiceClient(proc.grpcAddress, credentials.createInsecure());
    try {
      const healthWatch = health.watch({ service: '' });
      healthWatch.on('data', (m: { status: string }) => note(`health ${m.status}`));
      healthWatch.on('status', (s: { code: number }) => note(`health stream ended ${GrpcStatus[s.code]}`));
      healthWatch.on('error', () => undefined);

      const zone = records.watchZone({ clientId: 'drain-test', epoch: '', sinceVersion: 0 });
      let heartbeats = 0;
      zone.on('data', (m: WatchZoneResponse) => {
        if (m.event?.$case === 'heartbeat') heartbeats += 1;
        else note(`zone ${m.event?.$case}`);
      });
      zone.on('status', (s: { code: number }) => note(`zone stream ended ${GrpcStatus[s.code]}`));
      zone.on('error', () => undefined);

      await until(() => events.includes('health SERVING') && events.includes('zone snapshot') && heartbeats >= 2, 'the streams to be live');
      proc.child.kill('SIGTERM');
      const code = await proc.exited;
      note(`exit ${code}`);
      await until(() => events.includes('zone stream ended OK') && events.includes('health stream ended OK'), 'both streams to end');

      expect(code).toBe(0);
      const at = (e: string) => events.indexOf(e);
      expect(at('health NOT_SERVING')).toBeGreaterThan(at('zone snapshot'));
      expect(at('health NOT_SERVING')).toBeLessThan(at('zone stream ended OK'));
      expect(at('health NOT_SERVING')).toBeLessThan(at('health stream ended OK'));

      const logs = proc.logs.map((r) => r['msg']);
      const order = ['shutting down', 'drain: health is NOT_SERVING', 'drain: streams asked to finish', 'drain: grpc server stopped', 'stopped'];
      expect(order.map((m) => logs.indexOf(m))).toEqual([...order.map((m) => logs.indexOf(m))].sort((a, b) => a - b));
      expect(order.every((m) => logs.includes(m))).toBe(true);
      expect(proc.logs.find((r) => r['msg'] === 'drain: health is NOT_SERVING')?.['activeCalls']).toBeGreaterThanOrEqual(2);
      expect(proc.logs.find((r) => r['msg'] === 'stopped')).toMatchObject({ graceful: true, cancelledCalls: 0 });
    } finally {
      health.close();
      records.close();
      await proc.stop('SIGKILL');
    }
  });
});
