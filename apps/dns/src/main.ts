import { packageVersion, runService } from '@meridian/grpc-kit';
import { descriptorSet, DnsServiceService } from '@meridian/proto';
import { dnsConfigSchema } from './config';

runService({
  name: 'dns',
  version: packageVersion(__dirname),
  schema: dnsConfigSchema,
  descriptorSet: descriptorSet(),
  // The DNS listeners and the zone subscription arrive with the DNS issue; the status service
  // is registered so it is listed by reflection, and answers UNIMPLEMENTED until then.
  wire: () => ({ services: [{ definition: DnsServiceService, implementation: {} }] }),
}).catch((err: unknown) => {
  process.stderr.write(`dns: failed to start: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
