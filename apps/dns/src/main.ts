import cluster from 'node:cluster';
import { processChannel, runDnsWorker, wireDnsService } from '@meridian/dns-server';
import { packageVersion, runService } from '@meridian/grpc-kit';
import { descriptorSet } from '@meridian/proto';
import { dnsConfigSchema, dnsSettings } from './config';

if (cluster.isWorker) {
  // A DNS worker: it gets its settings and zones from the primary over IPC (ADR dns-0002).
  runDnsWorker(processChannel(), cluster.worker?.id ?? 0);
} else {
  void runService({
    name: 'dns',
    version: packageVersion(__dirname),
    schema: dnsConfigSchema,
    descriptorSet: descriptorSet(),
    wire: (context) => wireDnsService(context, dnsSettings(context.config)),
  });
}
