import { at, stringMap } from './kube-object';
import { fieldProblem, type FieldProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import { parseAddress, type TargetAddress } from './target-address';

export interface GatewayModel {
  namespace: string;
  name: string;
  addresses: TargetAddress[];
  problems: FieldProblem[];
}

/** `status.addresses[]`: type IPAddress (the default) or Hostname, as k8gb reads them. */
export function parseGateway(object: StoredObject): GatewayModel {
  const problems: FieldProblem[] = [];
  const addresses: TargetAddress[] = [];
  const entries = at(object.json, 'status', 'addresses');
  if (Array.isArray(entries)) {
    entries.forEach((entry, i) => {
      const field = `status.addresses[${i}]`;
      const type = at(entry, 'type') ?? 'IPAddress';
      const value = at(entry, 'value');
      if (typeof value !== 'string') return;
      const parsed = parseAddress(value);
      if (type === 'IPAddress' && parsed && parsed.family !== 'name') addresses.push({ ...parsed, source: 'gateway' });
      else if (type === 'Hostname' && parsed?.family === 'name') addresses.push({ ...parsed, source: 'gateway' });
      else problems.push(fieldProblem(field, entry, `is not a usable ${String(type)} address`, 'use type IPAddress with an IP, or Hostname with a DNS name'));
    });
  }
  return { namespace: object.namespace, name: object.name, addresses, problems };
}

/** A Gateway API route (HTTPRoute or GRPCRoute): its hostnames, its Gateway and its backend Services. */
export interface RouteModel {
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  hostnames: { host: string; field: string }[];
  gateways: { namespace: string; name: string }[];
  services: { namespace: string; name: string }[];
}

export function parseRoute(object: StoredObject): RouteModel {
  const json = object.json;
  const hostnames = at(json, 'spec', 'hostnames');
  const parents = at(json, 'spec', 'parentRefs');
  const rules = at(json, 'spec', 'rules');
  const gateways: RouteModel['gateways'] = [];
  if (Array.isArray(parents)) {
    for (const ref of parents) {
      const kind = at(ref, 'kind') ?? 'Gateway';
      const name = at(ref, 'name');
      if (kind !== 'Gateway' || typeof name !== 'string') continue;
      const namespace = at(ref, 'namespace');
      gateways.push({ namespace: typeof namespace === 'string' ? namespace : object.namespace, name });
    }
  }
  const services: RouteModel['services'] = [];
  if (Array.isArray(rules)) {
    for (const rule of rules) {
      const backends = at(rule, 'backendRefs');
      if (!Array.isArray(backends)) continue;
      for (const ref of backends) {
        const kind = at(ref, 'kind') ?? 'Service';
        const group = at(ref, 'group') ?? '';
        const name = at(ref, 'name');
        if (kind !== 'Service' || group !== '' || typeof name !== 'string') continue;
        const namespace = at(ref, 'namespace');
        services.push({ namespace: typeof namespace === 'string' ? namespace : object.namespace, name });
      }
    }
  }
  const unique = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  return {
    kind: object.kind.kind,
    namespace: object.namespace,
    name: object.name,
    labels: stringMap(at(json, 'metadata', 'labels')),
    hostnames: Array.isArray(hostnames)
      ? hostnames.flatMap((h, i) => (typeof h === 'string' ? [{ host: h, field: `spec.hostnames[${i}]` }] : []))
      : [],
    gateways,
    services: [...unique.values()],
  };
}
