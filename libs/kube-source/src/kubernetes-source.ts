import { KIND_IDS, RESOURCE_KINDS, type KindId, type ResourceSink, type ResourceSource } from '@meridian/gslb-resources';
import type { Logger } from '@meridian/logging';
import type { KubeApi } from './kube-api';
import { Reflector, type ReflectorOptions } from './reflector';
import { nullObserver, type SourceObserver } from './source-observer';

export interface KubernetesSourceOptions {
  api: KubeApi;
  logger: Logger;
  observer?: SourceObserver;
  /** Namespaces to watch; empty or undefined watches all of them (cluster-wide list/watch). */
  namespaces?: readonly string[];
  /** Kinds to watch; all that Meridian reads by default. */
  kinds?: readonly KindId[];
  reflector?: Pick<ReflectorOptions, 'pageSize' | 'watchTimeoutSeconds' | 'idleTimeoutMs' | 'notServedRetryMs' | 'random'>;
}

/**
 * Kubernetes mode: one reflector per kind (and namespace), all filling the same sink. Both Gslb
 * API groups are watched; a cluster usually serves only one, and the other counts as empty.
 */
export class KubernetesSource implements ResourceSource {
  readonly description: string;
  private readonly reflectors: Reflector[] = [];

  constructor(private readonly options: KubernetesSourceOptions) {
    this.description = `kubernetes ${options.api.server}`;
  }

  async start(sink: ResourceSink): Promise<void> {
    const observer = this.options.observer ?? nullObserver;
    const kinds = this.options.kinds ?? KIND_IDS;
    const namespaces: (string | undefined)[] = this.options.namespaces && this.options.namespaces.length > 0 ? [...this.options.namespaces] : [undefined];
    let pending = kinds.length * namespaces.length;
    const logger = this.options.logger;
    logger.info('watching the Kubernetes API', { server: this.options.api.server, kinds, namespaces: namespaces.map((n) => n ?? '*') });
    for (const id of kinds) {
      for (const namespace of namespaces) {
        this.reflectors.push(
          new Reflector({
            api: this.options.api,
            kind: RESOURCE_KINDS[id],
            ...(namespace !== undefined ? { namespace } : {}),
            sink,
            origin: 'kubernetes',
            logger,
            observer,
            onSynced: () => {
              pending--;
              if (pending === 0) {
                logger.info('initial lists complete');
                observer.synced();
                sink.synced();
              }
            },
            ...this.options.reflector,
          }),
        );
      }
    }
    for (const reflector of this.reflectors) reflector.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.reflectors.map((r) => r.stop()));
  }
}
