import { dirname, resolve } from 'node:path';
import { packageVersion, runService, watchHandler } from '@meridian/grpc-kit';
import { ModelCache, normalizeHostName, ResourceStore } from '@meridian/gslb-resources';
import { SourceMetrics } from '@meridian/kube-source';
import { CheckScheduler, compileCheck, createDefaultProbers, LocalTargetsEngine, ProberMetrics, systemClock } from '@meridian/prober-health';
import { descriptorSet, ProberServiceService, type ProberServiceServer } from '@meridian/proto';
import { proberConfigSchema } from './config';
import { createSource } from './create-source';

void runService({
  name: 'prober',
  version: packageVersion(__dirname),
  schema: proberConfigSchema,
  descriptorSet: descriptorSet(),
  wire: async ({ config, configPath, logger, registry, readiness, shutdownSignal }) => {
    // Relative paths in the config are relative to the config file.
    const configDir = configPath ? dirname(resolve(configPath)) : process.cwd();
    const store = new ResourceStore();
    const observer = new SourceMetrics(registry, 'prober');
    const source = await createSource(config, configDir, logger.child({ component: 'source' }), observer);
    const metrics = new ProberMetrics(registry);
    const scheduler = new CheckScheduler({
      clock: systemClock,
      random: Math.random,
      maxConcurrent: config.checks.maxConcurrent,
      onStartDelay: (ms) => metrics.started(ms),
    });
    const probers = createDefaultProbers();
    const timing = config.checks.defaults;
    const engine = new LocalTargetsEngine({
      region: config.region,
      store,
      cache: new ModelCache({ defaults: config.defaults, ...(config.regions ? { knownGeoTags: config.regions } : {}) }),
      hosts: {
        zones: config.zones.map((z) => normalizeHostName(z) as string),
        timing,
        hostChecks: config.checks.hosts.map((h) => ({ host: h.host.toLowerCase().replace(/\.$/, ''), checks: h.checks.map((c) => compileCheck(c, timing)) })),
      },
      probers,
      scheduler,
      clock: systemClock,
      logger,
      metrics,
      // Versions keep growing across restarts (the epoch changes anyway).
      initialVersion: Date.now() * 1000,
    });

    readiness.set('resources', false, `waiting for the first sync of ${source.description}`);
    readiness.set('health', false, 'judging every target once');
    store.onChange((change) => {
      if (change.synced) readiness.set('resources', true, `synced from ${source.description}`);
    });
    engine.onJudged(() => readiness.set('health', true, 'every target judged'));

    const heartbeatMs = config.streams.heartbeatSeconds * 1000;
    const implementation: Partial<ProberServiceServer> = {
      watchLocalTargets: watchHandler(engine.stream, { heartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-local-targets' }) }),
    };
    return {
      services: [{ definition: ProberServiceService, implementation }],
      components: [
        { name: 'local-targets', start: () => engine.start(), stop: () => (engine.stop(), scheduler.stop(), probers.close()) },
        { name: 'resource-source', start: () => source.start(store), stop: () => source.stop() },
      ],
    };
  },
});
