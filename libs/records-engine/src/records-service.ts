import { status as GrpcStatus, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { serveWatch, toWatchResponse } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import type { ExplainRequest, ExplainResponse, RecordsServiceServer, WatchZoneRequest, WatchZoneResponse } from '@meridian/proto';
import { normalizeName } from './dns-names';
import { explainHost, HostNotFoundError, InvalidRequestError } from './explain-host';
import { explanationToProto } from './explain-response';
import type { RecordsEngine } from './records-engine';
import type { RecordsMetrics } from './records-metrics';

export interface RecordsServiceOptions {
  readonly engine: RecordsEngine;
  readonly heartbeatMs: number;
  readonly shutdownSignal: AbortSignal;
  readonly logger: Logger;
  readonly metrics?: RecordsMetrics;
  /** How long a WatchZone call waits for the first zone before it is refused (UNAVAILABLE). */
  readonly readyTimeoutMs: number;
  /** The per-query draw Explain shows (rotation, weighted pick); Math.random unless given. */
  readonly random?: () => number;
}

/**
 * The RecordsService handlers. WatchZone waits until the zones are built before it sends
 * anything: a DNS server must never get a snapshot that is missing the hosts (it would answer
 * NXDOMAIN for them), so a records that is starting holds the stream, and after
 * `readyTimeoutMs` refuses it; the DNS server keeps serving its last zone and retries.
 */
export function recordsServiceImplementation(options: RecordsServiceOptions): RecordsServiceServer {
  const { engine, metrics, shutdownSignal } = options;
  const logger = options.logger;
  const random = options.random ?? Math.random;

  const watchZone = async (call: ServerWritableStream<WatchZoneRequest, WatchZoneResponse>): Promise<void> => {
    metrics?.subscribers.inc();
    try {
      if (!(await waitUntilReady(call))) return;
      await serveWatch(call, {
        stream: engine.stream,
        heartbeatMs: options.heartbeatMs,
        shutdownSignal,
        logger: logger.child({ component: 'watch-zone' }),
        toMessage: (event) => {
          metrics?.watchMessages.inc({ kind: event.kind });
          return toWatchResponse(event, options.heartbeatMs) as WatchZoneResponse;
        },
      });
    } finally {
      metrics?.subscribers.dec();
    }
  };

  const waitUntilReady = async (call: ServerWritableStream<WatchZoneRequest, WatchZoneResponse>): Promise<boolean> => {
    if (engine.isReady()) return true;
    const controller = new AbortController();
    const abort = () => controller.abort();
    let cancelled = false;
    const onCancel = () => {
      cancelled = true;
      abort();
    };
    call.once('cancelled', onCancel);
    shutdownSignal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(abort, options.readyTimeoutMs);
    const ready = await engine.whenReady(controller.signal);
    clearTimeout(timer);
    shutdownSignal.removeEventListener('abort', abort);
    call.off('cancelled', onCancel);
    if (ready) return true;
    if (cancelled) return false;
    if (shutdownSignal.aborted) call.end();
    else call.emit('error', { code: GrpcStatus.UNAVAILABLE, details: `records is not ready: ${engine.readinessDetail()}; retry shortly` });
    return false;
  };

  const explain = (call: ServerUnaryCall<ExplainRequest, ExplainResponse>, callback: sendUnaryData<ExplainResponse>): void => {
    try {
      const host = normalizeName(call.request.host);
      if (host === '') throw new InvalidRequestError('host is required, e.g. "app.gslb.example.com"');
      const view = engine.hostView(host);
      if (view === undefined) {
        const known = engine.hostNames();
        throw new HostNotFoundError(
          `${host} is not a GSLB host known to this region (${known.length} known${known.length > 0 ? `, e.g. ${known.slice(0, 3).join(', ')}` : ''}); check the Gslb's spec and the prober's spec problems`,
        );
      }
      callback(null, explanationToProto(explainHost(view, call.request.clientSubnet, { random01: random(), geo: engine.geoTable() })));
    } catch (err) {
      if (err instanceof HostNotFoundError) return callback({ code: GrpcStatus.NOT_FOUND, details: err.message });
      if (err instanceof InvalidRequestError) return callback({ code: GrpcStatus.INVALID_ARGUMENT, details: err.message });
      logger.error('explain failed', { err, host: call.request.host });
      callback({ code: GrpcStatus.INTERNAL, details: 'records failed to explain this host; see its logs' });
    }
  };

  return { watchZone, explain };
}
