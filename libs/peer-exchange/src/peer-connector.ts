import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import { clientChannelOptions } from '@meridian/grpc-kit';
import { ExchangeClient } from './exchange-codec';
import { clientLink, type PeerLink } from './peer-link';
import type { PeerSpec } from './peer-spec';

/** One dialled Exchange: its link, and how to let go of everything it holds. */
export interface PeerConnection {
  link: PeerLink;
  close(): void;
}

/** Opens Exchange streams to peers; injected so tests can dial through anything. */
export interface PeerConnector {
  connect(peer: PeerSpec): PeerConnection;
}

/**
 * Dials peers over gRPC with the given credentials (mutual TLS in production). Each
 * connection gets its own channel, closed with it: after a partition the next attempt
 * starts a fresh TCP and TLS connection instead of waiting for keepalive to give up on the
 * dead one.
 */
export class GrpcPeerConnector implements PeerConnector {
  constructor(
    private readonly credentials: ChannelCredentials,
    private readonly channelOptions: ChannelOptions = {},
  ) {}

  connect(peer: PeerSpec): PeerConnection {
    if (!peer.address) throw new Error(`peer ${peer.region} has no address to dial`);
    const options: ChannelOptions = clientChannelOptions({
      ...this.channelOptions,
      ...(peer.tlsServerName ? { 'grpc.ssl_target_name_override': peer.tlsServerName, 'grpc.default_authority': peer.tlsServerName } : {}),
    });
    const client = new ExchangeClient(peer.address, this.credentials, options);
    const call = client.exchange();
    return {
      link: clientLink(call, peer.address),
      close: () => {
        call.cancel();
        client.close();
      },
    };
  }
}
