import { packageVersion, runService, watchHandler } from '@meridian/grpc-kit';
import { descriptorSet, WitnessServiceService, type VerdictsDelta, type VerdictsSnapshot, type WitnessServiceServer } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { witnessConfigSchema } from './config';

runService({
  name: 'witness',
  version: packageVersion(__dirname),
  schema: witnessConfigSchema,
  descriptorSet: descriptorSet(),
  wire: ({ config, logger, shutdownSignal }) => {
    // Observers and quorum arrive with the witness issue; until then there is no verdict.
    const verdicts = new VersionedStream<VerdictsSnapshot, VerdictsDelta>({ snapshot: () => ({ verdicts: [] }) });
    const heartbeatMs = config.streams.heartbeatSeconds * 1000;
    const implementation: Partial<WitnessServiceServer> = {
      watchVerdicts: watchHandler(verdicts, { heartbeatMs, shutdownSignal, logger: logger.child({ component: 'watch-verdicts' }) }),
    };
    return { services: [{ definition: WitnessServiceService, implementation }] };
  },
}).catch((err: unknown) => {
  process.stderr.write(`witness: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
