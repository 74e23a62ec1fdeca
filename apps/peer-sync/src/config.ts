import { serviceConfigSchema, watchStreamsSchema } from '@meridian/config';

/** peer-sync's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const peerSyncConfigSchema = serviceConfigSchema({ grpcPort: 7102, metricsPort: 9102 }).extend({
  streams: watchStreamsSchema,
});
