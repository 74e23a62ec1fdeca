import { Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { WatchVerdictsRequest, WatchVerdictsResponse, WatchZoneRequest, WatchZoneResponse } from '@meridian/proto';
import type { CommandContext } from './command-context';
import { verdictEventLines, zoneEventLines } from './format-watch';
import { describeCallError } from './grpc-error-message';
import type { ServiceName } from './endpoints';
import type { ServiceClients } from './service-clients';

interface StreamSpec<T> {
  service: ServiceName;
  method: string;
  open: () => ClientReadableStream<T>;
  lines: (message: T, at: Date) => string[];
  json: (message: T) => unknown;
}

/**
 * watch: records' zone changes and the witness's verdict changes, one line each, until
 * Ctrl-C. The first message of each stream must come within the deadline; a stream that
 * fails later ends the command with exit 1.
 */
export async function watchCommand(context: CommandContext): Promise<void> {
  const clients = context.regions[0]!;
  const request = { clientId: 'meridianctl' };
  const zone: StreamSpec<WatchZoneResponse> = {
    service: 'records',
    method: 'WatchZone',
    open: () => clients.get('records').watchZone(WatchZoneRequest.fromPartial(request), new Metadata()),
    lines: (m, at) => zoneEventLines(clients.region, m, at),
    json: (m) => ({ region: clients.region, service: 'records', ...(WatchZoneResponse.toJSON(m) as object) }),
  };
  const verdicts: StreamSpec<WatchVerdictsResponse> = {
    service: 'witness',
    method: 'WatchVerdicts',
    open: () => clients.get('witness').watchVerdicts(WatchVerdictsRequest.fromPartial(request), new Metadata()),
    lines: (m, at) => verdictEventLines(clients.region, m, at),
    json: (m) => ({ region: clients.region, service: 'witness', ...(WatchVerdictsResponse.toJSON(m) as object) }),
  };
  const streams: ClientReadableStream<unknown>[] = [];
  try {
    await Promise.race([context.interrupted, follow(context, clients, zone, streams), follow(context, clients, verdicts, streams)]);
  } finally {
    for (const stream of streams) stream.cancel();
  }
}

function follow<T>(context: CommandContext, clients: ServiceClients, spec: StreamSpec<T>, streams: ClientReadableStream<unknown>[]): Promise<void> {
  return new Promise<void>((_resolve, reject) => {
    const stream = spec.open();
    streams.push(stream as ClientReadableStream<unknown>);
    const fail = (error: ServiceError) => reject(describeCallError(spec.service, clients.address(spec.service), spec.method, error, context.timeoutMs));
    // Streams have no deadline; the first message (snapshot) proves the service is there.
    const firstTimer = setTimeout(() => fail(Object.assign(new Error('deadline'), { code: status.DEADLINE_EXCEEDED, details: '', metadata: new Metadata() })), context.timeoutMs);
    stream.on('data', (message: T) => {
      clearTimeout(firstTimer);
      if (context.json) {
        const record = spec.json(message) as Record<string, unknown>;
        if (!('heartbeat' in record)) context.out(JSON.stringify(record));
      } else {
        for (const line of spec.lines(message, new Date())) context.out(line);
      }
    });
    stream.on('error', (error: ServiceError) => {
      clearTimeout(firstTimer);
      if (error.code !== status.CANCELLED) fail(error);
    });
    stream.on('end', () => {
      clearTimeout(firstTimer);
      fail(Object.assign(new Error('stream ended'), { code: status.UNAVAILABLE, details: `${spec.method} stream ended by the server`, metadata: new Metadata() }));
    });
  });
}
