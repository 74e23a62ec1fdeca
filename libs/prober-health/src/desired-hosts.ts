import {
  gslbResource,
  resolveGslbs,
  resourceName,
  sortProblems,
  toSpecProblem,
  type FieldProblem,
  type GslbModel,
  type ModelCache,
  type ResolveOptions,
  type ResourceView,
  type ServiceHealthPolicy,
  type SpecProblem,
  type TargetAddress,
} from '@meridian/gslb-resources';
import { checksFromAnnotation } from './annotation-checks';
import type { CheckSpec, CheckTiming } from './check-spec';

/** Checks the region config sets for a host (`app.example.com`) or a zone (`*.example.com`). */
export interface HostChecks {
  host: string;
  checks: CheckSpec[];
}

/** Everything the prober should be doing for one host right now. */
export interface DesiredHost {
  host: string;
  gslb: GslbModel;
  services: { namespace: string; name: string }[];
  policy: ServiceHealthPolicy;
  targets: TargetAddress[];
  checks: CheckSpec[];
  /** Where the checks came from: the Gslb's annotation, the region config, or nowhere. */
  checksFrom: 'annotation' | 'config' | 'none';
}

export interface DesiredHostsOptions extends ResolveOptions {
  timing: CheckTiming;
  /** Region config checks; they replace the annotation's for the hosts they match. */
  hostChecks: readonly HostChecks[];
}

/**
 * The hosts this region serves, from the current objects: Gslbs resolved to hosts, Services
 * and addresses, plus the checks each host gets. Problems from every stage are returned
 * together, and nothing stops at the first one.
 */
export function desiredHosts(view: ResourceView, cache: ModelCache, options: DesiredHostsOptions, annotationCache: WeakMap<GslbModel, { checks: CheckSpec[]; problems: FieldProblem[] }>): { hosts: Map<string, DesiredHost>; problems: SpecProblem[] } {
  const resolution = resolveGslbs(view, cache, options);
  const problems = [...resolution.problems];
  const hosts = new Map<string, DesiredHost>();
  for (const gslb of resolution.gslbs) {
    let parsed = annotationCache.get(gslb.model);
    if (!parsed) {
      const fieldProblems: FieldProblem[] = [];
      parsed = { checks: checksFromAnnotation(gslb.model.annotations, options.timing, fieldProblems), problems: fieldProblems };
      annotationCache.set(gslb.model, parsed);
    }
    const resource = gslb.model.declaredBy === 'Ingress' ? resourceName('Ingress', gslb.model.namespace, gslb.model.name) : gslbResource(gslb.model.apiGroup, gslb.model.namespace, gslb.model.name);
    for (const p of parsed.problems) problems.push(toSpecProblem(gslb.model.origin, resource, p));
    for (const h of gslb.hosts) {
      const configured = checksForHost(h.host, options.hostChecks);
      const checks = configured ?? parsed.checks;
      hosts.set(h.host, {
        host: h.host,
        gslb: gslb.model,
        services: h.services,
        policy: gslb.model.serviceHealthPolicy,
        targets: gslb.targets,
        checks,
        checksFrom: configured ? 'config' : checks.length > 0 ? 'annotation' : 'none',
      });
    }
  }
  return { hosts, problems: sortProblems(problems) };
}

/** An exact host entry wins; otherwise the longest matching `*.suffix`. */
export function checksForHost(host: string, entries: readonly HostChecks[]): CheckSpec[] | undefined {
  const exact = entries.find((e) => e.host === host);
  if (exact) return exact.checks;
  let best: HostChecks | undefined;
  for (const e of entries) {
    if (!e.host.startsWith('*.')) continue;
    const suffix = e.host.slice(1);
    if (host.endsWith(suffix) && (!best || e.host.length > best.host.length)) best = e;
  }
  return best?.checks;
}
