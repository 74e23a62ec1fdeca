export { ConfigError, type ConfigProblem } from './config-error';
export { applyEnvOverrides, CONFIG_PATH_VARIABLE, type EnvOverrideResult } from './env-overrides';
export { configPathFrom, loadConfig, readYamlFile, validateConfig, type LoadConfigOptions } from './load-config';
export {
  geoTagSchema,
  hostSchema,
  logLevelSchema,
  messageSizeSchema,
  type MessageSizeLimits,
  portSchema,
  serviceConfigSchema,
  tlsSchema,
  watchStreamsSchema,
  endpointSchema,
  clientTlsSchema,
  type ServiceConfig,
  type TlsConfig,
} from './service-config';
