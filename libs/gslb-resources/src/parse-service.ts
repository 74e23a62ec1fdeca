import { at } from './kube-object';
import { loadBalancerAddresses } from './load-balancer-status';
import type { FieldProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import type { TargetAddress } from './target-address';

export interface ServiceModel {
  namespace: string;
  name: string;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
  addresses: TargetAddress[];
  problems: FieldProblem[];
}

export function parseService(object: StoredObject): ServiceModel {
  const problems: FieldProblem[] = [];
  const type = at(object.json, 'spec', 'type');
  return {
    namespace: object.namespace,
    name: object.name,
    type: typeof type === 'string' ? type : 'ClusterIP',
    addresses: loadBalancerAddresses(at(object.json, 'status', 'loadBalancer', 'ingress'), 'loadBalancer', 'status.loadBalancer.ingress', problems),
    problems,
  };
}
