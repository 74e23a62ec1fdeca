import { at } from './kube-object';
import { fieldProblem, type FieldProblem } from './spec-problem';
import { parseAddress, type TargetAddress, type TargetOrigin } from './target-address';

/** `status.loadBalancer.ingress[]` of an Ingress or a Service: `ip` and `hostname` entries. */
export function loadBalancerAddresses(entries: unknown, source: TargetOrigin, path: string, problems: FieldProblem[]): TargetAddress[] {
  if (!Array.isArray(entries)) return [];
  const out: TargetAddress[] = [];
  entries.forEach((entry, i) => {
    for (const key of ['ip', 'hostname'] as const) {
      const value = at(entry, key);
      if (typeof value !== 'string' || value === '') continue;
      const parsed = parseAddress(value);
      if (!parsed || (key === 'ip' && parsed.family === 'name') || (key === 'hostname' && parsed.family !== 'name')) {
        problems.push(fieldProblem(`${path}[${i}].${key}`, value, key === 'ip' ? 'is not an IP address' : 'is not a DNS name', 'fix the load balancer status'));
        continue;
      }
      out.push({ ...parsed, source });
    }
  });
  return out;
}
