import { packageVersion, runService } from '@meridian/grpc-kit';
import { WireDnsClient } from '@meridian/dns-wire';
import { descriptorSet, WitnessServiceService } from '@meridian/proto';
import { createWitnessService } from '@meridian/witness-engine';
import { DirectObserver, GrpcWitnessPeerClient, PeerWitnessObserver, ResolverObserver, type Observer } from '@meridian/witness-observers';
import { witnessConfigSchema, witnessSettings } from './config';

void runService({
  name: 'witness',
  version: packageVersion(__dirname),
  schema: witnessConfigSchema,
  descriptorSet: descriptorSet(),
  wire: ({ config, logger, registry, readiness, shutdownSignal }) => {
    const settings = witnessSettings(config);
    const { timeoutMs, freshness } = settings;
    const clock = Date.now;
    const peerClients = settings.peers.map((p) => ({
      region: p.region,
      client: new GrpcWitnessPeerClient({ address: p.address, credentials: p.credentials, ...(p.serverName ? { serverName: p.serverName } : {}) }),
    }));
    const observers: Observer[] = [
      ...settings.resolvers.map(
        (r) => new ResolverObserver({ name: r.name, client: new WireDnsClient({ ...r.server, timeoutMs }), timeoutMs, freshness, clock }),
      ),
      ...peerClients.map((p) => new PeerWitnessObserver({ peerRegion: p.region, selfRegion: config.region, client: p.client, timeoutMs, clock })),
    ];
    const direct = new DirectObserver({
      name: config.region,
      nameservers: settings.nameservers,
      clientFor: (server) => new WireDnsClient({ ...server, timeoutMs }),
      timeoutMs,
      freshness,
      clock,
    });
    const judging = settings.options.judged.length > 0;
    if (judging) readiness.set('first observation round', false, 'no round of observations completed yet');
    const witness = createWitnessService({
      options: settings.options,
      observers,
      direct,
      clock,
      logger,
      registry,
      heartbeatMs: config.streams.heartbeatSeconds * 1000,
      shutdownSignal,
      onFirstRound: () => {
        if (judging) readiness.set('first observation round', true);
      },
    });
    logger.info('witness configured', {
      judged: settings.options.judged.map((t) => t.name),
      observers: observers.map((o) => `${o.kind}:${o.name}`),
      quorum: settings.options.policy.quorum,
    });
    return {
      services: [{ definition: WitnessServiceService, implementation: witness.implementation }],
      components: [
        witness.loop,
        { name: 'peer-clients', start: () => undefined, stop: () => peerClients.forEach((p) => p.client.close()) },
      ],
    };
  },
});
