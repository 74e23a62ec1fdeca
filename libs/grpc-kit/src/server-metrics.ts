import { status as GrpcStatus } from '@grpc/grpc-js';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CallObserver } from './observe-call';

const LABELS = ['grpc_service', 'grpc_method', 'grpc_type'] as const;

/**
 * The go-grpc-prometheus metric names that gRPC dashboards already use, registered in the
 * process's own registry.
 */
export function serverMetricsObserver(registry: Registry): CallObserver {
  const started = new Counter({
    name: 'grpc_server_started_total',
    help: 'gRPC calls started on the server.',
    labelNames: LABELS,
    registers: [registry],
  });
  const handled = new Counter({
    name: 'grpc_server_handled_total',
    help: 'gRPC calls completed on the server, by status code.',
    labelNames: [...LABELS, 'grpc_code'],
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Time from the start of a gRPC call to its status, by status code.',
    labelNames: [...LABELS, 'grpc_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'grpc_server_in_flight_calls',
    help: 'gRPC calls in progress on the server, streams included.',
    labelNames: LABELS,
    registers: [registry],
  });
  return (info) => {
    const labels = { grpc_service: info.service, grpc_method: info.method, grpc_type: info.type };
    started.inc(labels);
    inFlight.inc(labels);
    const startedAt = process.hrtime.bigint();
    return (code) => {
      const codeLabel = { ...labels, grpc_code: GrpcStatus[code] ?? String(code) };
      handled.inc(codeLabel);
      handling.observe(codeLabel, Number(process.hrtime.bigint() - startedAt) / 1e9);
      inFlight.dec(labels);
    };
  };
}
