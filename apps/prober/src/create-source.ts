import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@meridian/config';
import type { KindId, ResourceSource } from '@meridian/gslb-resources';
import { createClientNodeApi, FileResourceSource, KubernetesSource, type KubeApi, type SourceObserver } from '@meridian/kube-source';
import type { Logger } from '@meridian/logging';
import type { ProberConfig } from './config';

/** Builds the one ResourceSource the config asks for: files, or the Kubernetes API. */
export async function createSource(config: ProberConfig, configDir: string, logger: Logger, observer: SourceObserver): Promise<ResourceSource> {
  if (config.source.mode === 'file') {
    const paths = config.source.file.paths.map((p) => resolve(configDir, p));
    return new FileResourceSource({ paths, logger, observer, pollIntervalMs: config.source.file.pollIntervalSeconds * 1000 });
  }
  const kube = config.source.kubernetes;
  const kubeconfigPath = kube.kubeconfig ? resolve(configDir, kube.kubeconfig) : undefined;
  if (kubeconfigPath && !existsSync(kubeconfigPath)) {
    throw configError('source.kubernetes.kubeconfig', kube.kubeconfig, `the file ${kubeconfigPath} does not exist`);
  }
  let api: KubeApi;
  try {
    api = await createClientNodeApi({ ...(kubeconfigPath ? { kubeconfigPath } : {}), ...(kube.context ? { context: kube.context } : {}) });
  } catch (err) {
    throw configError('source.kubernetes', kube.kubeconfig, `cannot use the kubeconfig${kubeconfigPath ? ` ${kubeconfigPath}` : ''}: ${(err as Error).message}`, err);
  }
  const kinds: KindId[] = ['gslb', 'gslb-legacy', 'ingress', 'service', 'endpointslice', ...(kube.gatewayApi ? (['gateway', 'httproute', 'grpcroute'] as const) : [])];
  return new KubernetesSource({ api, logger, observer, kinds, namespaces: kube.namespaces, reflector: { watchTimeoutSeconds: kube.watchTimeoutSeconds } });
}

// runService turns a ConfigError into exit code 2 with this message.
function configError(path: string, value: unknown, message: string, cause?: unknown): ConfigError {
  return new ConfigError('the prober configuration', [{ path, origin: 'the prober configuration', value, message }], { cause });
}
