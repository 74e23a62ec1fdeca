import type { CompileStrategyOptions } from './compile-strategy';
import type { KubeObjectJson } from './kube-object';
import { parseEndpointSlice, type EndpointSliceModel } from './parse-endpoint-slice';
import { parseGateway, parseRoute, type GatewayModel, type RouteModel } from './parse-gateway';
import { gslbFromIngress, parseGslb, type GslbParse } from './parse-gslb';
import { parseIngress, type IngressModel } from './parse-ingress';
import { parseService, type ServiceModel } from './parse-service';
import type { StoredObject } from './stored-object';

/**
 * Parses each object once: stores replace an object's JSON when it changes, so the JSON's
 * identity is a safe cache key and a recompute after one change re-reads only that object.
 */
export class ModelCache {
  private readonly gslbs = new WeakMap<KubeObjectJson, GslbParse>();
  private readonly implicit = new WeakMap<KubeObjectJson, GslbParse | null>();
  private readonly ingresses = new WeakMap<KubeObjectJson, IngressModel>();
  private readonly services = new WeakMap<KubeObjectJson, ServiceModel>();
  private readonly slices = new WeakMap<KubeObjectJson, EndpointSliceModel>();
  private readonly gateways = new WeakMap<KubeObjectJson, GatewayModel>();
  private readonly routes = new WeakMap<KubeObjectJson, RouteModel>();

  constructor(readonly options: CompileStrategyOptions) {}

  gslb(object: StoredObject): GslbParse {
    return cached(this.gslbs, object, () => parseGslb(object, this.options));
  }

  gslbFromIngress(object: StoredObject): GslbParse | undefined {
    return cached(this.implicit, object, () => gslbFromIngress(object, this.options) ?? null) ?? undefined;
  }

  ingress(object: StoredObject): IngressModel {
    return cached(this.ingresses, object, () => parseIngress(object));
  }

  service(object: StoredObject): ServiceModel {
    return cached(this.services, object, () => parseService(object));
  }

  endpointSlice(object: StoredObject): EndpointSliceModel {
    return cached(this.slices, object, () => parseEndpointSlice(object));
  }

  gateway(object: StoredObject): GatewayModel {
    return cached(this.gateways, object, () => parseGateway(object));
  }

  route(object: StoredObject): RouteModel {
    return cached(this.routes, object, () => parseRoute(object));
  }
}

function cached<T>(map: WeakMap<KubeObjectJson, T>, object: StoredObject, parse: () => T): T {
  if (map.has(object.json)) return map.get(object.json) as T;
  const value = parse();
  map.set(object.json, value);
  return value;
}
