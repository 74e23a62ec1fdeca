import { at, stringMap } from './kube-object';
import { fieldProblem, type FieldProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import { loadBalancerAddresses } from './load-balancer-status';
import type { TargetAddress } from './target-address';

/** One `spec.rules[]` entry: its host and the Services its paths send traffic to. */
export interface IngressRuleModel {
  /** As written; checked when it becomes a GSLB host. */
  host: string | undefined;
  field: string;
  services: string[];
}

export interface IngressModel {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rules: IngressRuleModel[];
  /** status.loadBalancer.ingress: IPs and hostnames. */
  addresses: TargetAddress[];
  problems: FieldProblem[];
}

/** Reads the rules of an Ingress spec (also the shape of a Gslb's embedded `spec.ingress`). */
export function parseIngressRules(spec: unknown, path: string, problems: FieldProblem[]): IngressRuleModel[] {
  const rules = at(spec, 'rules');
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) {
    problems.push(fieldProblem(`${path}.rules`, rules, 'must be a list of rules', 'write rules: [{host: app.example.com, http: {paths: [...]}}]'));
    return [];
  }
  return rules.map((rule, i) => {
    const field = `${path}.rules[${i}]`;
    const host = at(rule, 'host');
    const services: string[] = [];
    const paths = at(rule, 'http', 'paths');
    if (Array.isArray(paths)) {
      paths.forEach((p, j) => {
        // networking.k8s.io/v1 names the Service in backend.service.name; v1beta1 used backend.serviceName.
        const name = at(p, 'backend', 'service', 'name') ?? at(p, 'backend', 'serviceName');
        if (typeof name === 'string' && name !== '') services.push(name);
        else if (at(p, 'backend', 'resource') === undefined) {
          problems.push(fieldProblem(`${field}.http.paths[${j}].backend.service.name`, name, 'is missing: the path names no Service', 'name the backing Service, or the path is ignored for readiness'));
        }
      });
    }
    return { host: typeof host === 'string' ? host : undefined, field: `${field}.host`, services: [...new Set(services)] };
  });
}

export function parseIngress(object: StoredObject): IngressModel {
  const problems: FieldProblem[] = [];
  const json = object.json;
  return {
    namespace: object.namespace,
    name: object.name,
    labels: stringMap(at(json, 'metadata', 'labels')),
    annotations: stringMap(at(json, 'metadata', 'annotations')),
    rules: parseIngressRules(at(json, 'spec'), 'spec', problems),
    addresses: loadBalancerAddresses(at(json, 'status', 'loadBalancer', 'ingress'), 'ingress', 'status.loadBalancer.ingress', problems),
    problems,
  };
}
