import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of Kubernetes mode. */
export class KubeStatusMetrics {
  readonly leader: Gauge;
  readonly writes: Counter<'result'>;

  constructor(registry: Registry) {
    this.leader = new Gauge({ name: 'meridian_records_leader', help: '1 while this replica holds the Lease and writes Gslb status, else 0.', registers: [registry] });
    this.writes = new Counter({
      name: 'meridian_records_gslb_status_writes_total',
      help: 'Gslb status writes by result: written, unchanged (skipped), missing (no such Gslb in the API), failed.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.leader.set(0);
  }
}
