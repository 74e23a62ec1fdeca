import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeConnection } from './kube-client';
import { KubeRequestError } from './kube-client';

export interface KubeconfigOptions {
  /** A kubeconfig file; without one: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfigPath?: string;
  readonly context?: string;
}

/**
 * The connection from a kubeconfig, through @kubernetes/client-node's KubeConfig (server,
 * TLS, tokens, exec plugins, in-cluster account). client-node 1.x is ESM-only and this
 * workspace builds CommonJS, so it is loaded with a real dynamic import() (module nodenext
 * keeps it), which also means it runs only under plain node, not jest: the process tests of
 * apps/records cover it.
 */
export async function kubeconfigConnection(options: KubeconfigOptions = {}): Promise<KubeConnection> {
  const k8s: typeof K8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeRequestError('the kubeconfig has no current cluster');
  return {
    server: cluster.server,
    applyAuth: async (requestOptions) => {
      await kc.applyToHTTPSOptions(requestOptions);
    },
  };
}
