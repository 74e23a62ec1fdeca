import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Collect process and Node.js runtime metrics (process_*, nodejs_*). */
  runtimeMetrics?: boolean;
}

/**
 * A registry of this process's own. prom-client's global default registry is never used, so
 * two services in one test process never share metrics.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.runtimeMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
