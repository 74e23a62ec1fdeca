/** One kind the test API server serves, with the facts that shape its URLs and objects. */
export interface ResourceType {
  /** API group; '' for the core group (`/api/v1`). */
  group: string;
  version: string;
  kind: string;
  /** The URL segment: `ingresses`, `gslbs`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Has a `/status` subresource: the main resource ignores status, `/status` changes only status. */
  statusSubresource: boolean;
  /**
   * Built-in types are served as typed objects: their list items carry no apiVersion/kind, as
   * kube-apiserver serves them. Custom resources keep both on every item.
   */
  builtIn: boolean;
  shortNames?: string[];
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** `networking.k8s.io/v1/Ingress`: one key per (group, version, kind). */
export function typeKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

const builtIn = (group: string, version: string, kind: string, plural: string, namespaced: boolean, statusSubresource: boolean): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  statusSubresource,
  builtIn: true,
});

const custom = (group: string, version: string, kind: string, plural: string, statusSubresource: boolean): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: true,
  statusSubresource,
  builtIn: false,
});

/**
 * What a Meridian region reads and writes: k8gb's Gslb in both API groups, the objects a Gslb
 * points at, Gateway API routes and gateways, and the Leases of leader election.
 */
export const DEFAULT_RESOURCE_TYPES: readonly ResourceType[] = [
  builtIn('', 'v1', 'Service', 'services', true, true),
  builtIn('', 'v1', 'Namespace', 'namespaces', false, true),
  builtIn('', 'v1', 'Event', 'events', true, false),
  builtIn('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true),
  builtIn('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, false),
  builtIn('coordination.k8s.io', 'v1', 'Lease', 'leases', true, false),
  custom('gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways', true),
  custom('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes', true),
  custom('gateway.networking.k8s.io', 'v1', 'GRPCRoute', 'grpcroutes', true),
  custom('k8gb.io', 'v1beta1', 'Gslb', 'gslbs', true),
  custom('k8gb.absa.oss', 'v1beta1', 'Gslb', 'gslbs', true),
];
