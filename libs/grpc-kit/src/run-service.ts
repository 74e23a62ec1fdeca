import type { ChannelOptions } from '@grpc/grpc-js';
import { ConfigError, configPathFrom, loadConfig, type ServiceConfig } from '@meridian/config';
import { JsonLogger, type Logger } from '@meridian/logging';
import { createMetricsRegistry, MetricsServer, Readiness } from '@meridian/metrics';
import { Gauge, type Registry } from 'prom-client';
import type { z } from 'zod';
import { TlsConfigError } from './errors';
import { GrpcServer, type ServiceRegistration } from './grpc-server';
import { loadTls } from './tls-credentials';

/** Something with a lifecycle that a service owns: an adapter, a watcher, a listener. */
export interface Component {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** What `wire` receives: everything built from the config, before any I/O starts. */
export interface ServiceContext<C> {
  config: C;
  /** The config file's path, when there is one; relative paths in it are relative to its folder. */
  configPath: string | undefined;
  logger: Logger;
  registry: Registry;
  readiness: Readiness;
  /** Aborted when the service starts draining. */
  shutdownSignal: AbortSignal;
}

export interface ServiceWiring {
  services: ServiceRegistration[];
  /** Started in order after the servers listen; stopped in reverse order after the drain. */
  components?: Component[];
  /** gRPC server settings the service needs, e.g. a larger receive limit for peers' snapshots. */
  serverChannelOptions?: ChannelOptions;
}

export interface RunServiceOptions<S extends z.ZodType<ServiceConfig>> {
  /** The service's name: `prober`, `peer-sync`, `witness`, `records` or `dns`. */
  name: string;
  version: string;
  schema: S;
  descriptorSet: Buffer;
  wire: (context: ServiceContext<z.output<S>>) => Promise<ServiceWiring> | ServiceWiring;
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Errors that `wire` throws for a file or value the config names (a TSIG key, a peer
   * certificate…): they exit 2 like a config error. ConfigError and TlsConfigError always do.
   */
  configErrors?: ReadonlyArray<abstract new (...args: never[]) => Error>;
}

/** Exit codes: 0 after a clean drain, 1 on a crash, 2 on a configuration error. */
export const EXIT_CONFIG_ERROR = 2;

/**
 * The whole life of a service process, so each main.ts only wires: config → logger → metrics
 * registry → adapters → servers. SIGTERM or SIGINT drains (readiness off, health
 * NOT_SERVING, streams finish, in-flight calls get the grace period), then the process exits 0.
 * A second signal exits at once. It never rejects: a configuration problem exits 2 with a
 * message naming the field, anything else that stops the start exits 1 with its stack.
 */
export async function runService<S extends z.ZodType<ServiceConfig>>(options: RunServiceOptions<S>): Promise<void> {
  try {
    await run(options);
  } catch (err) {
    const configErrors = [ConfigError, TlsConfigError, ...(options.configErrors ?? [])];
    if (configErrors.some((type) => err instanceof type)) {
      const message = err instanceof ConfigError ? err.message : `invalid configuration: ${(err as Error).message}`;
      process.stderr.write(`${options.name}: ${message}\nFix the configuration and start again.\n`);
      process.exit(EXIT_CONFIG_ERROR);
    }
    process.stderr.write(`${options.name}: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
    process.exit(1);
  }
}

async function run<S extends z.ZodType<ServiceConfig>>(options: RunServiceOptions<S>): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const configPath = configPathFrom(argv, env);
  const config = loadConfig(options.schema, { argv, env });

  const logger = new JsonLogger({ level: config.log.level, bindings: { service: options.name, region: config.region } });
  process.on('uncaughtException', (err) => crash(logger, 'uncaught exception', err));
  process.on('unhandledRejection', (err) => crash(logger, 'unhandled promise rejection', err));

  const tls = config.grpc.tls ? loadTls(config.grpc.tls, 'grpc.tls') : undefined;

  const registry = createMetricsRegistry();
  const metricPrefix = `meridian_${options.name.replace(/-/g, '_')}`;
  new Gauge({
    name: `${metricPrefix}_build_info`,
    help: 'Always 1; the labels say which build and region this is.',
    labelNames: ['version', 'region'],
    registers: [registry],
  }).set({ version: options.version, region: config.region }, 1);
  const readyGauge = new Gauge({ name: `${metricPrefix}_ready`, help: '1 when the service is ready to serve, else 0.', registers: [registry] });
  const readiness = new Readiness();
  const shutdownController = new AbortController();
  const wiring = await options.wire({ config, configPath, logger, registry, readiness, shutdownSignal: shutdownController.signal });

  const grpc = GrpcServer.create({
    host: config.grpc.host,
    port: config.grpc.port,
    ...(config.grpc.healthPort !== undefined ? { healthPort: config.grpc.healthPort } : {}),
    ...(tls ? { tls } : {}),
    logger: logger.child({ component: 'grpc' }),
    registry,
    descriptorSet: options.descriptorSet,
    services: wiring.services,
    ...(wiring.serverChannelOptions ? { channelOptions: wiring.serverChannelOptions } : {}),
    shutdownController,
  });
  const metricsServer = MetricsServer.create({
    host: config.metrics.host,
    port: config.metrics.port,
    registry,
    readiness,
    logger: logger.child({ component: 'metrics' }),
  });
  const components = wiring.components ?? [];

  const applyReadiness = (ready: boolean) => {
    readyGauge.set(ready ? 1 : 0);
    grpc.health.setAll(ready ? 'SERVING' : 'NOT_SERVING');
  };
  readiness.onChange(applyReadiness);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn('second signal during drain, exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal, graceSeconds: config.shutdown.graceSeconds });
    readiness.markDraining();
    const report = await grpc.drain(config.shutdown.graceSeconds * 1000);
    for (const component of [...components].reverse()) {
      try {
        await component.stop();
      } catch (err) {
        logger.error('component did not stop cleanly', { component: component.name, err });
      }
    }
    await metricsServer.stop();
    logger.info('stopped', { ...report });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const metricsPort = await metricsServer.start();
  const grpcPort = await grpc.start();
  for (const component of components) await component.start();
  applyReadiness(readiness.isReady());
  logger.info('service started', {
    version: options.version,
    grpcPort,
    ...(grpc.healthPort !== undefined ? { grpcHealthPort: grpc.healthPort } : {}),
    metricsPort,
    ready: readiness.isReady(),
  });
}

function crash(logger: Logger, message: string, err: unknown): never {
  logger.error(message, { err });
  process.exit(1);
}
