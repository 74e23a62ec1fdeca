import { lintMetricDescriptors, parseExposition } from '@meridian/metrics';
import { checkHealth, describeServiceByReflection, listServicesByReflection, scrapeMetrics } from './grpc-probes';
import { runServiceToExit, startService, type ServiceProcess } from './service-process';

/**
 * The checks every Meridian app must pass as a real process: health SERVING, its services
 * listed and described through reflection v1 and v1alpha by a third-party client, metrics
 * scraped with names that pass the lint, a bad config value rejected naming the field, and a
 * clean exit on SIGTERM.
 */
export function serviceProcessSuite(app: string, expected: { service: string; methods: string[] }): void {
  describe(`${app} as a process`, () => {
    let proc: ServiceProcess;

    beforeAll(async () => {
      proc = await startService(app, { config: { region: 'eu' } });
    });

    afterAll(async () => {
      await proc?.stop('SIGKILL');
    });

    it('reports SERVING through grpc.health.v1.Health/Check, for the server and its service', async () => {
      expect(await checkHealth(proc.grpcAddress)).toBe('SERVING');
      expect(await checkHealth(proc.grpcAddress, expected.service)).toBe('SERVING');
    });

    it.each(['v1', 'v1alpha'] as const)('lists and describes its services through reflection %s', async (version) => {
      const services = await listServicesByReflection(proc.grpcAddress, version);
      expect(services).toEqual(expect.arrayContaining([expected.service, 'grpc.health.v1.Health']));
      expect(await describeServiceByReflection(proc.grpcAddress, expected.service, version)).toEqual([...expected.methods].sort());
    });

    it('exposes metrics whose names pass the lint', async () => {
      const text = await scrapeMetrics(proc.metricsPort);
      const prefix = `meridian_${app.replace(/-/g, '_')}`;
      expect(text).toContain(`${prefix}_build_info{version="0.1.0",region="eu"} 1`);
      expect(text).toContain(`${prefix}_ready 1`);
      expect(text).toContain('grpc_server_handled_total');
      const scraped = parseExposition(text);
      expect(scraped.length).toBeGreaterThan(10);
      expect(lintMetricDescriptors(scraped, app)).toEqual([]);
    });

    it('rejects a bad configuration value with a message naming the field, and exits non-zero', async () => {
      const { code, stderr } = await runServiceToExit(app, 'region: eu\ngrpc:\n  port: 70000\nlog:\n  level: loud\n');
      expect(code).toBe(2);
      expect(stderr).toContain('grpc.port: got 70000');
      expect(stderr).toContain('from 0 to 65535');
      expect(stderr).toContain('log.level: got "loud"');
    });

    it('exits 0 after draining on SIGTERM', async () => {
      const other = await startService(app);
      expect(await other.stop('SIGTERM')).toBe(0);
      const messages = other.logs.map((r) => r['msg']);
      expect(messages).toEqual(expect.arrayContaining(['drain: health is NOT_SERVING', 'drain: grpc server stopped', 'stopped']));
    });
  });
}
