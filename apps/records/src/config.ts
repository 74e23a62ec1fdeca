import { serviceConfigSchema, watchStreamsSchema } from '@meridian/config';

/** records' configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const recordsConfigSchema = serviceConfigSchema({ grpcPort: 7104, metricsPort: 9104 }).extend({
  streams: watchStreamsSchema,
});
