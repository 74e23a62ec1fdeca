import { packageVersion, runService, watchHandler } from '@meridian/grpc-kit';
import { descriptorSet, ProberServiceService, type LocalTargetsDelta, type LocalTargetsSnapshot, type ProberServiceServer } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { proberConfigSchema } from './config';

runService({
  name: 'prober',
  version: packageVersion(__dirname),
  schema: proberConfigSchema,
  descriptorSet: descriptorSet(),
  wire: ({ config, logger, shutdownSignal }) => {
    // Hosts arrive with the Gslb sources and health checks; until then the region has none.
    const localTargets = new VersionedStream<LocalTargetsSnapshot, LocalTargetsDelta>({
      snapshot: () => ({ region: config.region, hosts: [], problems: [] }),
    });
    const heartbeatMs = config.streams.heartbeatSeconds * 1000;
    const implementation: Partial<ProberServiceServer> = {
      watchLocalTargets: watchHandler(localTargets, { heartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-local-targets' }) }),
    };
    return { services: [{ definition: ProberServiceService, implementation }] };
  },
}).catch((err: unknown) => {
  process.stderr.write(`prober: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
