import { serviceConfigSchema, watchStreamsSchema } from '@meridian/config';

/** witness's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const witnessConfigSchema = serviceConfigSchema({ grpcPort: 7103, metricsPort: 9103 }).extend({
  streams: watchStreamsSchema,
});
