import { TsigKeyError } from '@meridian/edge-dns';
import { packageVersion, runService } from '@meridian/grpc-kit';
import { descriptorSet } from '@meridian/proto';
import { peerSyncConfigSchema } from './config';
import { wirePeerSync } from './wire';

const version = packageVersion(__dirname);

void runService({
  name: 'peer-sync',
  version,
  schema: peerSyncConfigSchema,
  descriptorSet: descriptorSet(),
  wire: (context) => wirePeerSync(context, version),
  // Files named by the config (certificates, TSIG keys) are checked while wiring.
  configErrors: [TsigKeyError],
});
