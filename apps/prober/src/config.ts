import { serviceConfigSchema, watchStreamsSchema } from '@meridian/config';

/** prober's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const proberConfigSchema = serviceConfigSchema({ grpcPort: 7101, metricsPort: 9101 }).extend({
  streams: watchStreamsSchema,
});
