import { ConfigError, loadConfig, type ServiceConfig } from '@meridian/config';
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
}

/** Exit codes: 0 after a clean drain, 1 on a crash, 2 on a configuration error. */
export const EXIT_CONFIG_ERROR = 2;

/**
 * The whole life of a service process, so each main.ts only wires: config → logger → metrics
 * registry → adapters → servers. SIGTERM or SIGINT drains (readiness off, health
 * NOT_SERVING, streams finish, in-flight calls get the grace period), then the process exits 0.
 * A second signal exits at once.
 */
export async function runService<S extends z.ZodType<ServiceConfig>>(options: RunServiceOptions<S>): Promise<void> {
  let config: z.output<S>;
  try {
    config = loadConfig(options.schema, { argv: options.argv ?? process.argv.slice(2), env: options.env ?? process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${options.name}: ${err.message}\nFix the configuration and start again.\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }

  const logger = new JsonLogger({ level: config.log.level, bindings: { service: options.name, region: config.region } });
  process.on('uncaughtException', (err) => crash(logger, 'uncaught exception', err));
  process.on('unhandledRejection', (err) => crash(logger, 'unhandled promise rejection', err));

  let tls;
  try {
    tls = config.grpc.tls ? loadTls(config.grpc.tls, 'grpc.tls') : undefined;
  } catch (err) {
    if (!(err instanceof TlsConfigError)) throw err;
    process.stderr.write(`${options.name}: invalid configuration: ${err.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }

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
  const wiring = await options.wire({ config, logger, registry, readiness, shutdownSignal: shutdownController.signal });

  const grpc = GrpcServer.create({
    host: config.grpc.host,
    port: config.grpc.port,
    ...(tls ? { tls } : {}),
    logger: logger.child({ component: 'grpc' }),
    registry,
    descriptorSet: options.descriptorSet,
    services: wiring.services,
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
  logger.info('service started', { version: options.version, grpcPort, metricsPort, ready: readiness.isReady() });
}

function crash(logger: Logger, message: string, err: unknown): never {
  logger.error(message, { err });
  process.exit(1);
}
