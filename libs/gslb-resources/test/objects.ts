import { kindOf, ResourceStore, type KubeObjectJson, type StoredObject } from '../src';

/** A StoredObject from a manifest, as a source would deliver it. */
export function stored(json: KubeObjectJson, origin = 'kubernetes'): StoredObject {
  const kind = kindOf(json.apiVersion, json.kind);
  if (!kind) throw new Error(`unsupported ${String(json.apiVersion)} ${String(json.kind)}`);
  return { kind, namespace: String(json.metadata?.namespace ?? 'default'), name: String(json.metadata?.name), json, origin };
}

export function storeWith(...objects: KubeObjectJson[]): ResourceStore {
  const store = new ResourceStore();
  store.replace('test', objects.map((o) => stored(o)));
  return store;
}

export const gslb = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}, apiVersion = 'k8gb.io/v1beta1'): KubeObjectJson => ({
  apiVersion,
  kind: 'Gslb',
  metadata: { name, namespace: 'demo', annotations },
  spec,
});

export const ingress = (name: string, hosts: string[], options: { services?: string[]; ips?: string[]; hostnames?: string[]; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObjectJson => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'demo', labels: options.labels ?? {}, annotations: options.annotations ?? {} },
  spec: {
    rules: hosts.map((host) => ({
      host,
      http: { paths: (options.services ?? ['app']).map((s) => ({ path: '/', pathType: 'Prefix', backend: { service: { name: s, port: { number: 80 } } } })) },
    })),
  },
  status: { loadBalancer: { ingress: [...(options.ips ?? []).map((ip) => ({ ip })), ...(options.hostnames ?? []).map((hostname) => ({ hostname }))] } },
});

export const service = (name: string, type = 'ClusterIP', ips: string[] = []): KubeObjectJson => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'demo' },
  spec: { type, ports: [{ port: 80 }] },
  status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } },
});

export const endpointSlice = (name: string, serviceName: string, ready: (boolean | undefined)[]): KubeObjectJson => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'demo', labels: { 'kubernetes.io/service-name': serviceName } },
  addressType: 'IPv4',
  endpoints: ready.map((r, i) => ({ addresses: [`10.0.0.${i + 1}`], conditions: r === undefined ? {} : { ready: r } })),
  ports: [{ port: 8080 }],
});
