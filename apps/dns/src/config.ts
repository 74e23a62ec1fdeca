import { serviceConfigSchema } from '@meridian/config';

/** dns's configuration file (`--config PATH`); every field can be overridden by MERIDIAN_* variables. */
export const dnsConfigSchema = serviceConfigSchema({ grpcPort: 7105, metricsPort: 9105 });
