export { createMetricsRegistry, type MetricsRegistryOptions } from './registry';
export { Readiness, type ReadinessCondition } from './readiness';
export { MetricsServer, type MetricsServerOptions } from './metrics-server';
export { allowedMetricPrefixes, lintMetricNames, type MetricNameProblem } from './metric-name-lint';
