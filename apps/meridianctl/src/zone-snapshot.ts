import { Metadata } from '@grpc/grpc-js';
import { WatchZoneRequest, type WatchZoneResponse } from '@meridian/proto';
import { firstMessage } from './grpc-calls';
import type { ServiceClients } from './service-clients';

/** records' WatchZone snapshot: the first snapshot message, then the stream is cancelled. */
export function zoneSnapshot(clients: ServiceClients, timeoutMs: number): Promise<WatchZoneResponse> {
  const records = clients.get('records');
  return firstMessage<WatchZoneResponse>(
    { clients, service: 'records', method: 'WatchZone', timeoutMs },
    (options) => records.watchZone(WatchZoneRequest.fromPartial({ clientId: 'meridianctl' }), new Metadata(), options),
    (message) => message.event?.$case === 'snapshot',
  );
}
