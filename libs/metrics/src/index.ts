export { createMetricsRegistry, type MetricsRegistryOptions } from './registry';
export { Readiness, type ReadinessCondition } from './readiness';
export { MetricsServer, type MetricsServerOptions } from './metrics-server';
export { allowedMetricPrefixes, lintMetricDescriptors, lintMetricNames, type MetricDescriptor, type MetricNameProblem } from './metric-name-lint';
export { parseExposition } from './parse-exposition';
