import { makeGenericClientConstructor, type ChannelCredentials, type Client, type ClientDuplexStream, type ClientOptions, type ServiceDefinition } from '@grpc/grpc-js';
import { ExchangeRequest, ExchangeResponse, PeerSyncServiceService, type PeerMessage } from '@meridian/proto';

const passthrough = (bytes: Buffer): Buffer => bytes;

/**
 * PeerSyncService with Exchange carrying raw bytes: the session encodes and decodes each
 * PeerMessage itself, so it counts the exact bytes on the wire (the metric) without encoding
 * twice. The path and the reflection descriptor are unchanged.
 */
export const peerSyncServiceDefinition: ServiceDefinition = {
  ...PeerSyncServiceService,
  exchange: { ...PeerSyncServiceService.exchange, requestDeserialize: passthrough, responseSerialize: passthrough },
};

export interface ExchangeClient extends Client {
  exchange(): ClientDuplexStream<Buffer, Buffer>;
}

/** A client of Exchange alone, with the same raw-bytes framing. */
export const ExchangeClient = makeGenericClientConstructor(
  { exchange: { ...PeerSyncServiceService.exchange, requestSerialize: passthrough, responseDeserialize: passthrough } },
  'meridian.v1.PeerSyncService',
) as unknown as new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => ExchangeClient;

/**
 * ExchangeRequest and ExchangeResponse are both `{ PeerMessage message = 1; }`, so one
 * encoding serves both directions; each side still decodes with its own type.
 */
export function encodePeerMessage(message: PeerMessage, direction: 'request' | 'response'): Buffer {
  const bytes = direction === 'request' ? ExchangeRequest.encode({ message }).finish() : ExchangeResponse.encode({ message }).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodePeerMessage(bytes: Buffer, direction: 'request' | 'response'): PeerMessage {
  const envelope = direction === 'request' ? ExchangeRequest.decode(bytes) : ExchangeResponse.decode(bytes);
  if (!envelope.message) throw new Error('an Exchange message without a PeerMessage');
  return envelope.message;
}
