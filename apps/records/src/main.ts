import { hostname } from 'node:os';
import { packageVersion, runService } from '@meridian/grpc-kit';
import { descriptorSet } from '@meridian/proto';
import { wireRecordsService } from '@meridian/records-engine';
import { httpKubeClient, kubeconfigConnection, KubernetesMode } from '@meridian/records-kube';
import { recordsConfigSchema, recordsSettings } from './config';

void runService({
  name: 'records',
  version: packageVersion(__dirname),
  schema: recordsConfigSchema,
  descriptorSet: descriptorSet(),
  wire: async (context) => {
    const { config } = context;
    const { settings, inputs } = recordsSettings(config);
    const wiring = wireRecordsService(context, { settings, inputs, heartbeatMs: config.streams.heartbeatSeconds * 1000 });
    const kube = config.kubernetes;
    if (kube !== undefined) {
      const connection = await kubeconfigConnection({ ...(kube.kubeconfig ? { kubeconfigPath: kube.kubeconfig } : {}), ...(kube.context ? { context: kube.context } : {}) });
      wiring.components.push(
        new KubernetesMode({
          client: httpKubeClient(connection),
          source: wiring.engine,
          logger: context.logger,
          registry: context.registry,
          namespace: kube.namespace,
          leaseName: kube.leaseName ?? `meridian-records-${config.region}`,
          identity: kube.identity ?? `${hostname()}-${process.pid}`,
          leaseDurationMs: kube.leaseDurationSeconds * 1000,
          renewDeadlineMs: kube.renewDeadlineSeconds * 1000,
          retryPeriodMs: kube.retryPeriodSeconds * 1000,
          writeStatus: kube.gslbStatus,
          writeDnsEndpoints: kube.dnsEndpoints,
          statusIntervalMs: kube.statusIntervalSeconds * 1000,
        }),
      );
    }
    return wiring;
  },
});
