import { kindOf, type KubeObjectJson, type StoredObject } from '@meridian/gslb-resources';

export function stored(json: KubeObjectJson, origin = 'kubernetes'): StoredObject {
  const kind = kindOf(json.apiVersion, json.kind);
  if (!kind) throw new Error(`unsupported ${String(json.apiVersion)} ${String(json.kind)}`);
  return { kind, namespace: String(json.metadata?.namespace ?? 'demo'), name: String(json.metadata?.name), json, origin };
}

/** A Gslb with an embedded Ingress for `host`, backed by `services`, exposing `addresses`. */
export function gslb(name: string, host: string, options: { services?: string[]; addresses?: string[]; checks?: unknown[]; policy?: 'Any' | 'All'; strategy?: Record<string, unknown> } = {}): KubeObjectJson {
  const annotations: Record<string, string> = { 'k8gb.io/exposed-ip-addresses': (options.addresses ?? ['192.0.2.10']).join(',') };
  if (options.checks) annotations['meridian.io/checks'] = JSON.stringify(options.checks);
  return {
    apiVersion: 'k8gb.io/v1beta1',
    kind: 'Gslb',
    metadata: { name, namespace: 'demo', annotations },
    spec: {
      ingress: { rules: [{ host, http: { paths: (options.services ?? ['app']).map((s) => ({ path: '/', pathType: 'Prefix', backend: { service: { name: s, port: { number: 80 } } } })) } }] },
      strategy: options.strategy ?? { type: 'roundRobin' },
      ...(options.policy ? { serviceHealthPolicy: options.policy } : {}),
    },
  };
}

export const service = (name: string): KubeObjectJson => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'demo' }, spec: { type: 'ClusterIP' } });

export const endpointSlice = (service: string, ready: boolean[], name = `${service}-abcde`): KubeObjectJson => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'demo', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ready.map((r, i) => ({ addresses: [`10.1.0.${i + 1}`], conditions: { ready: r } })),
});

/** A Service with one ready endpoint: readiness holds. */
export const readyService = (name: string): KubeObjectJson[] => [service(name), endpointSlice(name, [true])];
