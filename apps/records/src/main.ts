import { packageVersion, runService, watchHandler } from '@meridian/grpc-kit';
import { descriptorSet, RecordsServiceService, type RecordsServiceServer, type ZoneDelta, type ZoneSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { recordsConfigSchema } from './config';

runService({
  name: 'records',
  version: packageVersion(__dirname),
  schema: recordsConfigSchema,
  descriptorSet: descriptorSet(),
  wire: ({ config, logger, shutdownSignal }) => {
    // Zone assembly arrives with the records issue; until then the zone list is empty.
    const zones = new VersionedStream<ZoneSnapshot, ZoneDelta>({ snapshot: () => ({ zones: [] }) });
    const heartbeatMs = config.streams.heartbeatSeconds * 1000;
    const implementation: Partial<RecordsServiceServer> = {
      watchZone: watchHandler(zones, { heartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-zone' }) }),
    };
    return { services: [{ definition: RecordsServiceService, implementation }] };
  },
}).catch((err: unknown) => {
  process.stderr.write(`records: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
