/** The kinds Meridian reads, one id each; both Gslb API groups are distinct kinds. */
export const KIND_IDS = ['gslb', 'gslb-legacy', 'ingress', 'service', 'endpointslice', 'gateway', 'httproute', 'grpcroute'] as const;
export type KindId = (typeof KIND_IDS)[number];

export interface ResourceKind {
  id: KindId;
  /** API group; '' for core. */
  group: string;
  /** The version Kubernetes mode lists and watches. */
  version: string;
  /** Versions a file may use (same fields as `version` for what Meridian reads). */
  fileVersions: readonly string[];
  kind: string;
  plural: string;
}

export const RESOURCE_KINDS: Readonly<Record<KindId, ResourceKind>> = {
  gslb: { id: 'gslb', group: 'k8gb.io', version: 'v1beta1', fileVersions: ['v1beta1'], kind: 'Gslb', plural: 'gslbs' },
  'gslb-legacy': { id: 'gslb-legacy', group: 'k8gb.absa.oss', version: 'v1beta1', fileVersions: ['v1beta1'], kind: 'Gslb', plural: 'gslbs' },
  ingress: { id: 'ingress', group: 'networking.k8s.io', version: 'v1', fileVersions: ['v1'], kind: 'Ingress', plural: 'ingresses' },
  service: { id: 'service', group: '', version: 'v1', fileVersions: ['v1'], kind: 'Service', plural: 'services' },
  endpointslice: { id: 'endpointslice', group: 'discovery.k8s.io', version: 'v1', fileVersions: ['v1'], kind: 'EndpointSlice', plural: 'endpointslices' },
  gateway: { id: 'gateway', group: 'gateway.networking.k8s.io', version: 'v1', fileVersions: ['v1', 'v1beta1'], kind: 'Gateway', plural: 'gateways' },
  httproute: { id: 'httproute', group: 'gateway.networking.k8s.io', version: 'v1', fileVersions: ['v1', 'v1beta1'], kind: 'HTTPRoute', plural: 'httproutes' },
  grpcroute: { id: 'grpcroute', group: 'gateway.networking.k8s.io', version: 'v1', fileVersions: ['v1', 'v1alpha2'], kind: 'GRPCRoute', plural: 'grpcroutes' },
};

export function apiVersionOfKind(kind: ResourceKind, version = kind.version): string {
  return kind.group === '' ? version : `${kind.group}/${version}`;
}

/** The kind an object declares with `apiVersion` and `kind`, if Meridian reads it. */
export function kindOf(apiVersion: unknown, kind: unknown): ResourceKind | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return Object.values(RESOURCE_KINDS).find((k) => k.group === group && k.kind === kind && k.fileVersions.includes(version));
}

/** Every apiVersion/kind pair a file may use, for error messages. */
export function supportedKinds(): string[] {
  return Object.values(RESOURCE_KINDS).flatMap((k) => k.fileVersions.map((v) => `${apiVersionOfKind(k, v)} ${k.kind}`));
}

/** The path Kubernetes serves a kind under, across namespaces or in one. */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${base}/${kind.plural}`;
}
