import { Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { ResumableWatch, type WatchResponseLike, type WatchState } from '@meridian/grpc-kit';
import { nullLogger } from '@meridian/logging';
import { WatchVerdictsRequest, WatchVerdictsResponse, WatchZoneRequest, WatchZoneResponse } from '@meridian/proto';
import type { CommandContext } from './command-context';
import { verdictEventLines, zoneEventLines } from './format-watch';
import { describeCallError } from './grpc-error-message';
import type { ServiceName } from './endpoints';
import type { ServiceClients } from './service-clients';

interface StreamSpec<T extends WatchResponseLike> {
  service: ServiceName;
  method: string;
  open: (from: { epoch: string; sinceVersion: number }) => ClientReadableStream<T>;
  lines: (message: T, at: Date) => string[];
  json: (message: T) => unknown;
}

/** Services send heartbeats every few seconds; this much silence means the stream is dead. */
const MIN_SILENCE_MS = 10_000;

/**
 * watch: records' zone changes and the witness's verdict changes, one line each, until
 * Ctrl-C. The first message of each stream must come within the deadline (otherwise exit 1,
 * naming the service). After that a lost stream is resumed from the last version seen, with
 * backoff, and each disconnect and resume is noted on stderr, so a restarted service does not
 * end the watch.
 */
export async function watchCommand(context: CommandContext): Promise<void> {
  const clients = context.regions[0]!;
  const zone: StreamSpec<WatchZoneResponse> = {
    service: 'records',
    method: 'WatchZone',
    open: (from) => clients.get('records').watchZone(WatchZoneRequest.fromPartial({ clientId: 'meridianctl', ...from }), new Metadata()),
    lines: (m, at) => zoneEventLines(clients.region, m, at),
    json: (m) => ({ region: clients.region, service: 'records', ...(WatchZoneResponse.toJSON(m) as object) }),
  };
  const verdicts: StreamSpec<WatchVerdictsResponse> = {
    service: 'witness',
    method: 'WatchVerdicts',
    open: (from) => clients.get('witness').watchVerdicts(WatchVerdictsRequest.fromPartial({ clientId: 'meridianctl', ...from }), new Metadata()),
    lines: (m, at) => verdictEventLines(clients.region, m, at),
    json: (m) => ({ region: clients.region, service: 'witness', ...(WatchVerdictsResponse.toJSON(m) as object) }),
  };
  const watches: ResumableWatch<WatchResponseLike>[] = [];
  try {
    // Each follow() settles only by failing its first sync; Ctrl-C ends the race otherwise.
    await Promise.race([context.interrupted, follow(context, clients, zone, watches), follow(context, clients, verdicts, watches)]);
  } finally {
    for (const watch of watches) watch.stop();
  }
}

function follow<T extends WatchResponseLike>(context: CommandContext, clients: ServiceClients, spec: StreamSpec<T>, watches: ResumableWatch<WatchResponseLike>[]): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    const address = clients.address(spec.service);
    const label = `${clients.region} ${spec.service} ${spec.method}`;
    let lastError: ServiceError | undefined;
    let everSynced = false;
    const fail = (error: ServiceError) => {
      watch.stop();
      reject(describeCallError(spec.service, address, spec.method, error, context.timeoutMs));
    };
    const firstSync = setTimeout(
      () => fail(lastError ?? Object.assign(new Error('deadline'), { code: status.DEADLINE_EXCEEDED, details: '', metadata: new Metadata() })),
      context.timeoutMs,
    );
    const watch: ResumableWatch<T> = new ResumableWatch<T>({
      open: (from) => {
        const call = spec.open(from);
        call.on('error', (error: ServiceError) => {
          if (error.code !== status.CANCELLED) lastError = error;
        });
        return call;
      },
      apply: (message) => {
        if (context.json) context.out(JSON.stringify(spec.json(message)));
        else for (const line of spec.lines(message, new Date())) context.out(line);
      },
      heartbeatTimeoutMs: Math.max(MIN_SILENCE_MS, 3 * context.timeoutMs),
      logger: nullLogger,
      onStateChange: (state: WatchState, detail: string) => {
        if (state === 'synced') {
          clearTimeout(firstSync);
          if (everSynced) context.note(`${label}: resumed, ${detail}`);
          everSynced = true;
        } else if (state === 'disconnected' && everSynced) {
          context.note(`${label}: disconnected (${detail})`);
        } else if (state === 'stopped') {
          clearTimeout(firstSync);
        }
      },
    });
    watches.push(watch as unknown as ResumableWatch<WatchResponseLike>);
    watch.start();
  });
}
