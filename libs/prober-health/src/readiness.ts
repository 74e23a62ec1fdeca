import type { ModelCache, ResourceView, ServiceHealthPolicy } from '@meridian/gslb-resources';
import type { Health } from './health-state';

export interface ServiceReadiness {
  namespace: string;
  name: string;
  health: Health;
  endpoints: number;
  ready: number;
}

export interface Readiness {
  health: Health;
  /** Why, for CheckResult.message: each Service's endpoint counts and the policy. */
  message: string;
  services: ServiceReadiness[];
}

/**
 * k8gb's readiness rule: a Service is healthy when one of its EndpointSlices has a ready
 * endpoint, unhealthy when none has, and NotFound when the Service does not exist. With
 * `Any` a host is healthy when one Service is; with `All` when every one is (one missing
 * Service makes it NotFound).
 */
export function judgeReadiness(services: readonly { namespace: string; name: string }[], policy: ServiceHealthPolicy, view: ResourceView, cache: ModelCache): Readiness {
  const judged: ServiceReadiness[] = services.map(({ namespace, name }) => {
    if (!view.get('service', namespace, name)) return { namespace, name, health: 'notFound', endpoints: 0, ready: 0 };
    let endpoints = 0;
    let ready = 0;
    for (const slice of view.endpointSlicesOf(namespace, name)) {
      const model = cache.endpointSlice(slice);
      endpoints += model.endpoints;
      ready += model.ready;
    }
    return { namespace, name, health: ready > 0 ? 'healthy' : 'unhealthy', endpoints, ready };
  });
  return { health: combine(judged.map((s) => s.health), policy), message: describe(judged, policy), services: judged };
}

export function combine(states: readonly Health[], policy: ServiceHealthPolicy): Health {
  if (states.length === 0) return 'notFound';
  if (policy === 'All') {
    if (states.includes('notFound')) return 'notFound';
    return states.every((s) => s === 'healthy') ? 'healthy' : 'unhealthy';
  }
  if (states.includes('healthy')) return 'healthy';
  return states.every((s) => s === 'notFound') ? 'notFound' : 'unhealthy';
}

function describe(services: readonly ServiceReadiness[], policy: ServiceHealthPolicy): string {
  if (services.length === 0) return 'no backing Service is declared';
  const parts = services.map((s) =>
    s.health === 'notFound' ? `Service ${s.namespace}/${s.name} not found` : `Service ${s.namespace}/${s.name}: ${s.ready} of ${s.endpoints} endpoints ready`,
  );
  return `${parts.join('; ')} (serviceHealthPolicy ${policy})`;
}
