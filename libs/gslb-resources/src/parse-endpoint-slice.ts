import { at } from './kube-object';
import { SERVICE_NAME_LABEL } from './resource-store';
import type { StoredObject } from './stored-object';

export interface EndpointSliceModel {
  namespace: string;
  name: string;
  service: string | undefined;
  /** Endpoints with at least one address. */
  endpoints: number;
  /** Of those, the ready ones. */
  ready: number;
}

/**
 * Counts ready endpoints. `conditions.ready` unset means "unknown", which the EndpointSlice API
 * asks consumers to treat as ready; an endpoint without addresses counts for nothing.
 */
export function parseEndpointSlice(object: StoredObject): EndpointSliceModel {
  const service = at(object.json, 'metadata', 'labels', SERVICE_NAME_LABEL);
  const endpoints = at(object.json, 'endpoints');
  let total = 0;
  let ready = 0;
  if (Array.isArray(endpoints)) {
    for (const endpoint of endpoints) {
      const addresses = at(endpoint, 'addresses');
      if (!Array.isArray(addresses) || addresses.length === 0) continue;
      total++;
      if (at(endpoint, 'conditions', 'ready') !== false) ready++;
    }
  }
  return { namespace: object.namespace, name: object.name, service: typeof service === 'string' ? service : undefined, endpoints: total, ready };
}
