import { readFileSync } from 'node:fs';
import { ChannelCredentials } from '@grpc/grpc-js';
import { WireDnsClient } from '@meridian/dns-wire';
import { DelegationPublisher, loadTsigKey, nameserverName, TsigUpdateClient, type DelegatedZone } from '@meridian/edge-dns';
import { Backoff, channelCredentials, loadTls, TlsConfigError, type Component, type ServiceContext, type ServiceWiring } from '@meridian/grpc-kit';
import { LocalTargetsReader } from '@meridian/k8gb-interop';
import { GrpcPeerConnector, LocalTargets, PeerSync, PeerSyncMetrics, ProberFeed, RemoteTargets, type PeerSpec } from '@meridian/peer-exchange';
import { splitHostPort, type PeerSyncConfig } from './config';

/** Builds peer-sync from its validated config: adapters, the peer exchange, the edge delegation. No I/O. */
export function wirePeerSync({ config, logger, registry, readiness, shutdownSignal }: ServiceContext<PeerSyncConfig>, version: string): ServiceWiring {
  const { region, peering, edgeDns } = config;
  const metrics = new PeerSyncMetrics(registry);
  const local = new LocalTargets({ region, historyLimit: peering.historyLimit });
  const remote = new RemoteTargets({ contactUpdateMs: peering.contactUpdateSeconds * 1000, historyLimit: peering.historyLimit });
  const zones: DelegatedZone[] = edgeDns?.zones ?? [];
  const edge = edgeDns ? splitHostPort(edgeDns.server, 53) : undefined;
  const edgeClient = edge && edgeDns ? new WireDnsClient({ host: edge.host, port: edge.port, timeoutMs: edgeDns.timeoutMs }) : undefined;

  const staticPeers: PeerSpec[] = peering.peers.map((peer) => ({
    region: peer.region,
    kind: peer.kind,
    ...(peer.address !== undefined ? { address: peer.address } : {}),
    ...(peer.tlsServerName !== undefined ? { tlsServerName: peer.tlsServerName } : {}),
    nameservers: (peer.nameservers ?? []).map((ns) => {
      const { host, port } = splitHostPort(ns, 53);
      return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    }),
    source: 'static',
  }));

  const peerSync = PeerSync.create({
    region,
    software: `meridian/${version}`,
    nameservers: zones.map((zone) => nameserverName(region, zone)),
    heartbeatMs: peering.heartbeatSeconds * 1000,
    watchHeartbeatMs: config.streams.heartbeatSeconds * 1000,
    local,
    remote,
    staticPeers,
    // A peer's snapshot is one Exchange message (ADR 0009); the server side gets the same limit below.
    connector: new GrpcPeerConnector(peerCredentials(config), { 'grpc.max_receive_message_length': peering.maxMessageBytes }),
    peerIdentity: peering.peerIdentity,
    k8gb: {
      pollMs: config.k8gb.pollSeconds * 1000,
      reader: (peer) =>
        new LocalTargetsReader(
          peer.nameservers.map((address) => {
            const { host, port } = splitHostPort(address, 53);
            return { address, client: new WireDnsClient({ host, port, timeoutMs: config.k8gb.timeoutMs }) };
          }),
          config.k8gb.timeoutMs,
        ),
    },
    ...(edgeDns?.discovery && edgeClient
      ? {
          discovery: {
            zones,
            client: edgeClient,
            server: edgeDns.server,
            intervalMs: edgeDns.discovery.intervalSeconds * 1000,
            peerPort: edgeDns.discovery.peerPort,
            dnsPort: edgeDns.discovery.dnsPort,
            defaultKind: edgeDns.discovery.defaultKind,
            kinds: edgeDns.discovery.kinds,
            peerHost: edgeDns.discovery.peerHost,
            forgetAfterMs: edgeDns.discovery.forgetAfterSeconds * 1000,
          },
        }
      : {}),
    metrics,
    logger: logger.child({ component: 'peer-sync' }),
    shutdownSignal,
    backoff: () => new Backoff({ initialMs: peering.reconnect.initialMs, maxMs: peering.reconnect.maxSeconds * 1000 }),
  });

  const components: Component[] = [];
  if (config.prober) {
    readiness.set('local-targets', false, `waiting for the first snapshot of the prober at ${config.prober.address}`);
    components.push(
      new ProberFeed({
        address: config.prober.address,
        credentials: proberCredentials(config),
        clientId: `peer-sync/${region}`,
        local,
        heartbeatTimeoutMs: config.prober.heartbeatTimeoutSeconds * 1000,
        maxMessageBytes: config.prober.maxMessageBytes,
        logger: logger.child({ component: 'prober-feed' }),
        onSynced: () => readiness.set('local-targets', true, 'the prober\'s first snapshot is applied'),
      }),
    );
  } else {
    logger.warn('no prober configured: this region sends peers no local targets');
    local.markSynced();
  }
  components.push(peerSync);

  const delegation = edgeDns?.delegation;
  if (edgeDns && delegation && edge && edgeClient) {
    const key = loadTsigKey(delegation.tsig, 'edgeDns.delegation.tsig');
    components.push(
      new DelegationPublisher({
        geotag: region,
        zones,
        addresses: delegation.addresses,
        ttlSeconds: delegation.ttlSeconds,
        refreshMs: delegation.refreshSeconds * 1000,
        reader: edgeClient,
        updater: new TsigUpdateClient({ host: edge.host, port: edge.port, key, timeoutMs: edgeDns.timeoutMs }),
        server: edgeDns.server,
        logger: logger.child({ component: 'edge-delegation' }),
        onResult: (result) => metrics.edgeUpdates.inc({ zone: result.zone, result: result.outcome }),
      }),
    );
  }
  return { services: [peerSync.service()], components, serverChannelOptions: { 'grpc.max_receive_message_length': peering.maxMessageBytes } };
}

/** Dialling peers: mutual TLS with peering.tls (or grpc.tls's pair and CA), or plaintext when asked for. */
function peerCredentials(config: PeerSyncConfig): ChannelCredentials {
  const { peering, grpc } = config;
  if (peering.plaintext) return ChannelCredentials.createInsecure();
  const needed = peering.peers.some((p) => p.kind === 'meridian') || config.edgeDns?.discovery !== undefined;
  if (!needed) return ChannelCredentials.createInsecure();
  const [files, field] = peering.tls
    ? [{ ...peering.tls, requireClientCert: false }, 'peering.tls']
    : [{ certFile: grpc.tls?.certFile ?? '', keyFile: grpc.tls?.keyFile ?? '', caFile: grpc.tls?.caFile, requireClientCert: false }, 'grpc.tls'];
  const tls = loadTls(files, field);
  return channelCredentials({ cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}) });
}

function proberCredentials(config: PeerSyncConfig): ChannelCredentials {
  const tls = config.prober?.tls;
  if (!tls) return ChannelCredentials.createInsecure();
  if (tls.certFile !== undefined && tls.keyFile !== undefined) {
    const loaded = loadTls({ certFile: tls.certFile, keyFile: tls.keyFile, caFile: tls.caFile, requireClientCert: false }, 'prober.tls');
    return channelCredentials({ cert: loaded.cert, key: loaded.key, ...(loaded.ca ? { ca: loaded.ca } : {}) });
  }
  let ca: Buffer;
  try {
    ca = readFileSync(tls.caFile);
  } catch (cause) {
    throw new TlsConfigError('prober.tls.caFile', `${tls.caFile} cannot be read: ${(cause as Error).message}`, { cause });
  }
  return channelCredentials({ ca });
}
