import { collectionPath, apiVersionOfKind, type KubeObjectJson, type ResourceKind } from '@meridian/gslb-resources';
import { KubeApiError, type KubeApi, type ListPage, type WatchEvent, type WatchHandle, type WatchOptions } from './kube-api';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export interface ClientNodeOptions {
  /** A kubeconfig file; without one: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfigPath?: string;
  /** A context of the kubeconfig other than its current one. */
  context?: string;
}

/**
 * @kubernetes/client-node 1.x is ESM-only and this workspace builds CommonJS, so the package
 * is loaded with a real dynamic import() (TypeScript keeps it under module nodenext).
 */
export async function loadClientNode(): Promise<typeof K8s> {
  return import('@kubernetes/client-node');
}

/**
 * The KubeApi port on @kubernetes/client-node: KubeConfig for the server, credentials and TLS,
 * KubernetesObjectApi for lists (with API discovery, as for any cluster) and Watch for watches.
 */
export async function createClientNodeApi(options: ClientNodeOptions = {}): Promise<KubeApi> {
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeApiError('the kubeconfig has no current cluster');
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const watcher = new k8s.Watch(kc);

  return {
    server: cluster.server,

    async list(kind: ResourceKind, opts: { namespace?: string; limit: number; continueToken?: string }): Promise<ListPage> {
      let result: unknown;
      try {
        result = await objects.list(apiVersionOfKind(kind), kind.kind, opts.namespace, undefined, undefined, undefined, undefined, undefined, opts.limit, opts.continueToken);
      } catch (err) {
        throw toApiError(err, `list ${kind.kind}`);
      }
      // Typed lists come back as model classes; plain JSON keeps one shape for lists and watch events.
      const list = JSON.parse(JSON.stringify(result)) as { items?: KubeObjectJson[]; metadata?: { resourceVersion?: string; continue?: string; _continue?: string } };
      const continueToken = list.metadata?._continue ?? list.metadata?.continue;
      return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '', ...(continueToken ? { continueToken } : {}) };
    },

    async watch(kind: ResourceKind, opts: WatchOptions, onEvent: (event: WatchEvent) => void, onDone: (err?: KubeApiError) => void): Promise<WatchHandle> {
      let aborted = false;
      const controller = await watcher.watch(
        collectionPath(kind, opts.namespace),
        { resourceVersion: opts.resourceVersion || undefined, allowWatchBookmarks: true, timeoutSeconds: opts.timeoutSeconds },
        (type: string, object: KubeObjectJson) => {
          if (!aborted) onEvent({ type: type as WatchEvent['type'], object });
        },
        (err: unknown) => {
          if (!aborted) onDone(err ? toApiError(err, `watch ${kind.kind}`) : undefined);
        },
      );
      return {
        abort: () => {
          aborted = true;
          controller.abort();
        },
      };
    },
  };
}

function toApiError(err: unknown, what: string): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown };
  const status = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  // KubernetesObjectApi resolves kinds through discovery: an API group or kind the server does not serve.
  const notServed = /Unrecognized API version and kind/.test(message) || (status === 404 && /Failed to fetch resource metadata/.test(message));
  return new KubeApiError(`${what}: ${message}`, status, notServed, { cause: err });
}
