import { packageVersion, runService, watchHandler } from '@meridian/grpc-kit';
import {
  descriptorSet,
  PeerSyncServiceService,
  type PeerSyncServiceServer,
  type RemoteTargetsDelta,
  type RemoteTargetsSnapshot,
} from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { peerSyncConfigSchema } from './config';

runService({
  name: 'peer-sync',
  version: packageVersion(__dirname),
  schema: peerSyncConfigSchema,
  descriptorSet: descriptorSet(),
  wire: ({ config, logger, shutdownSignal }) => {
    // Peers and the Exchange stream arrive with membership; until then no region is known.
    const remoteTargets = new VersionedStream<RemoteTargetsSnapshot, RemoteTargetsDelta>({ snapshot: () => ({ regions: [] }) });
    const heartbeatMs = config.streams.heartbeatSeconds * 1000;
    const implementation: Partial<PeerSyncServiceServer> = {
      watchRemoteTargets: watchHandler(remoteTargets, { heartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-remote-targets' }) }),
    };
    return { services: [{ definition: PeerSyncServiceService, implementation }] };
  },
}).catch((err: unknown) => {
  process.stderr.write(`peer-sync: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
