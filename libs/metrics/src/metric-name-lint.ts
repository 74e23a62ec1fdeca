import type { Registry } from 'prom-client';

export interface MetricNameProblem {
  metric: string;
  problem: string;
}

/**
 * Prefixes a metric may start with: the service's own namespace, the k8gb and split-brain
 * names that existing dashboards and alerts use, the go-grpc-prometheus names, and the
 * process/runtime metrics of prom-client.
 */
export function allowedMetricPrefixes(service: string): string[] {
  return [`meridian_${service.replace(/-/g, '_')}_`, 'k8gb_gslb_', 'k8gb_endpoint_', 'splitbrain_', 'grpc_server_', 'grpc_client_', 'process_', 'nodejs_'];
}

const RUNTIME_PREFIXES = ['process_', 'nodejs_'];
const NAME = /^[a-z][a-z0-9_]*$/;
const LABEL = /^[a-z][a-z0-9_]*$/;

/** What the lint needs to know of a metric: from a registry, or parsed from a scrape. */
export interface MetricDescriptor {
  name: string;
  help: string;
  type: string;
  labelNames?: readonly string[];
}

/**
 * Lints every metric in a registry (CoreDNS does the same for its plugins): Prometheus naming
 * rules plus Meridian's `meridian_<service>_<thing>_<unit|total>` convention.
 */
export function lintMetricNames(registry: Registry, service: string): MetricNameProblem[] {
  return lintMetricDescriptors(registry.getMetricsAsArray() as unknown as MetricDescriptor[], service);
}

/** The same lint over descriptors, for example those parsed from a live `/metrics` scrape. */
export function lintMetricDescriptors(metrics: readonly MetricDescriptor[], service: string): MetricNameProblem[] {
  const prefixes = allowedMetricPrefixes(service);
  const problems: MetricNameProblem[] = [];
  for (const metric of metrics) {
    const { name, help, type } = metric;
    const add = (problem: string) => problems.push({ metric: name, problem });
    // prom-client's runtime metrics keep the names every Node.js dashboard expects.
    if (RUNTIME_PREFIXES.some((p) => name.startsWith(p))) continue;
    if (!NAME.test(name)) add('must be snake_case: lower-case letters, digits and underscores');
    if (!prefixes.some((p) => name.startsWith(p))) add(`must start with one of ${prefixes.join(', ')}`);
    if (!help || help.trim().length < 10) add('needs a help text that says what it measures');
    if (type === 'counter' && !name.endsWith('_total')) add('is a counter, so its name must end in _total');
    if (type !== 'counter' && name.endsWith('_total')) add('ends in _total but is not a counter');
    if (type === 'histogram' && !/_(seconds|bytes|ratio)$/.test(name)) add('is a histogram, so it needs a unit: _seconds or _bytes');
    for (const label of metric.labelNames ?? []) {
      if (!LABEL.test(label)) add(`label "${label}" must be snake_case`);
    }
  }
  return problems;
}
