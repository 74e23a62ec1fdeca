import { Counter, Gauge, type Registry } from 'prom-client';
import type { ListReason, SourceObserver, WatchEndReason } from './source-observer';

/** A SourceObserver that counts into a registry as `meridian_<service>_source_*`. */
export class SourceMetrics implements SourceObserver {
  private readonly lists: Counter<'kind' | 'reason'>;
  private readonly events: Counter<'kind' | 'type'>;
  private readonly watchEnds: Counter<'kind' | 'reason'>;
  private readonly failures: Counter<'kind' | 'operation'>;
  private readonly fileLoads: Counter<'result'>;
  private readonly syncedGauge: Gauge;

  constructor(registry: Registry, service: string) {
    const prefix = `meridian_${service.replace(/-/g, '_')}_source`;
    const registers = [registry];
    this.lists = new Counter({ name: `${prefix}_lists_total`, help: 'Lists of a kind from the Kubernetes API, by reason (initial, gone, error, not-served).', labelNames: ['kind', 'reason'], registers });
    this.events = new Counter({ name: `${prefix}_watch_events_total`, help: 'Watch events applied, by kind and event type (bookmarks included).', labelNames: ['kind', 'type'], registers });
    this.watchEnds = new Counter({ name: `${prefix}_watch_restarts_total`, help: 'Watches that ended and were resumed or re-listed, by reason.', labelNames: ['kind', 'reason'], registers });
    this.failures = new Counter({ name: `${prefix}_errors_total`, help: 'Failed list and watch calls to the Kubernetes API.', labelNames: ['kind', 'operation'], registers });
    this.fileLoads = new Counter({ name: `${prefix}_file_loads_total`, help: 'Resource file reads, by result (ok, or problems found).', labelNames: ['result'], registers });
    this.syncedGauge = new Gauge({ name: `${prefix}_synced`, help: 'Whether the source has delivered its initial state (1) or not yet (0).', registers });
  }

  listed(kind: string, reason: ListReason): void {
    this.lists.inc({ kind, reason });
  }

  event(kind: string, type: string): void {
    this.events.inc({ kind, type });
  }

  watchEnded(kind: string, reason: WatchEndReason): void {
    this.watchEnds.inc({ kind, reason });
  }

  failed(kind: string, operation: 'list' | 'watch'): void {
    this.failures.inc({ kind, operation });
  }

  fileLoaded(_path: string, ok: boolean): void {
    this.fileLoads.inc({ result: ok ? 'ok' : 'problems' });
  }

  synced(): void {
    this.syncedGauge.set(1);
  }
}
