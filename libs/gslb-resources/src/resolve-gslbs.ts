import { K8GB_ANNOTATIONS, annotationField } from './annotations';
import { ModelCache } from './model-cache';
import { selectorMatches } from './label-selector';
import type { GslbModel, ResourceRefModel } from './parse-gslb';
import type { IngressRuleModel } from './parse-ingress';
import type { ResourceView } from './resource-store';
import { fieldProblem, resourceName, sortProblems, toSpecProblem, type FieldProblem, type SpecProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import { distinctAddresses, isInZone, normalizeHostName, type TargetAddress } from './target-address';
import type { KindId } from './resource-kinds';

export interface ResolvedHost {
  /** Fully qualified, lower case, no trailing dot. */
  host: string;
  /** The Services whose ready endpoints decide readiness health. */
  services: { namespace: string; name: string }[];
}

/** A Gslb with its references followed: its hosts, their Services, and the region's addresses for them. */
export interface ResolvedGslb {
  model: GslbModel;
  hosts: ResolvedHost[];
  /** Shared by every host of the Gslb, as in k8gb. */
  targets: TargetAddress[];
  /** What the hosts and addresses were read from, e.g. `Ingress demo/web`. */
  via: string;
}

export interface GslbResolution {
  gslbs: ResolvedGslb[];
  problems: SpecProblem[];
}

export interface ResolveOptions {
  /** Zones this region serves; hosts outside all of them are reported and skipped. Empty: any host. */
  zones?: readonly string[];
}

class ResolveError extends Error {
  constructor(readonly problem: FieldProblem) {
    super(problem.problem);
  }
}

/**
 * k8gb's reference resolution as a pure function of the current objects: which hosts each
 * Gslb declares, which Services back them, and which addresses this region exposes for them.
 * A Gslb that cannot be resolved is reported and skipped; the others are unaffected.
 */
export function resolveGslbs(view: ResourceView, cache: ModelCache, options: ResolveOptions = {}): GslbResolution {
  const problems: SpecProblem[] = [];
  const report = (object: Pick<StoredObject, 'origin'>, resource: string, list: readonly FieldProblem[]) => {
    for (const p of list) problems.push(toSpecProblem(object.origin, resource, p));
  };

  const models = new Map<string, GslbModel>();
  // k8gb.io first: when a Gslb exists in both groups (k8gb's migration), the new group wins.
  for (const kind of ['gslb', 'gslb-legacy'] as const) {
    for (const object of view.list(kind)) {
      const parsed = cache.gslb(object);
      report(object, gslbResource(object.kind.group, object.namespace, object.name), parsed.problems);
      if (parsed.model && !models.has(parsed.model.id)) models.set(parsed.model.id, parsed.model);
    }
  }
  for (const object of view.list('ingress')) {
    const parsed = cache.gslbFromIngress(object);
    if (!parsed) continue;
    report(object, resourceName('Ingress', object.namespace, object.name), parsed.problems);
    if (parsed.model && !models.has(parsed.model.id)) models.set(parsed.model.id, parsed.model);
  }

  const claimed = new Map<string, string>();
  const gslbs: ResolvedGslb[] = [];
  for (const model of [...models.values()].sort(byPrecedence)) {
    const resource = model.declaredBy === 'Ingress' ? resourceName('Ingress', model.namespace, model.name) : gslbResource(model.apiGroup, model.namespace, model.name);
    let resolved: { rules: IngressRuleModel[]; hostServices?: ResolvedHost['services']; targets: TargetAddress[]; via: string };
    try {
      resolved = follow(model, view, cache, report);
    } catch (err) {
      if (!(err instanceof ResolveError)) throw err;
      report(model, resource, [err.problem]);
      continue;
    }
    const hosts = new Map<string, ResolvedHost>();
    for (const rule of resolved.rules) {
      const host = checkHost(rule, options, report, model, resource);
      if (host === undefined) continue;
      const owner = claimed.get(host);
      if (owner !== undefined && owner !== model.id) {
        report(model, resource, [fieldProblem(rule.field, rule.host, `is already declared by Gslb ${owner}`, 'declare each host in one Gslb only')]);
        continue;
      }
      claimed.set(host, model.id);
      const services = resolved.hostServices ?? rule.services.map((name) => ({ namespace: model.resourceRef?.namespace ?? model.namespace, name }));
      const existing = hosts.get(host);
      if (existing) existing.services = uniqueServices([...existing.services, ...services]);
      else hosts.set(host, { host, services: uniqueServices(services) });
    }
    gslbs.push({ model, hosts: [...hosts.values()], targets: distinctAddresses(model.exposedAddresses ?? resolved.targets), via: resolved.via });
  }
  return { gslbs: gslbs.sort((a, b) => (a.model.id < b.model.id ? -1 : 1)), problems: sortProblems(problems) };
}

type Report = (object: Pick<StoredObject, 'origin'>, resource: string, problems: readonly FieldProblem[]) => void;

function follow(
  model: GslbModel,
  view: ResourceView,
  cache: ModelCache,
  report: Report,
): { rules: IngressRuleModel[]; hostServices?: ResolvedHost['services']; targets: TargetAddress[]; via: string } {
  const ref = model.resourceRef;
  if (!ref) {
    // Embedded: k8gb creates an Ingress named after the Gslb; its status holds the addresses.
    const ingress = view.get('ingress', model.namespace, model.name);
    const addresses = ingress ? cache.ingress(ingress).addresses : [];
    return { rules: model.embeddedRules ?? [], targets: addresses, via: `Ingress ${model.namespace}/${model.name} (embedded)` };
  }
  switch (ref.target) {
    case 'ingress': {
      const object = exactlyOne(view, 'ingress', ref);
      const ingress = cache.ingress(object);
      report(object, resourceName('Ingress', object.namespace, object.name), ingress.problems);
      return { rules: ingress.rules, targets: ingress.addresses, via: `Ingress ${object.namespace}/${object.name}` };
    }
    case 'service': {
      const object = exactlyOne(view, 'service', ref);
      const service = cache.service(object);
      report(object, resourceName('Service', object.namespace, object.name), service.problems);
      if (service.type !== 'LoadBalancer') {
        throw new ResolveError(fieldProblem('spec.resourceRef', ref.name ?? ref.selector, `references Service ${object.namespace}/${object.name} of type ${service.type}`, 'reference a Service of type LoadBalancer'));
      }
      if (model.hostname === undefined || model.hostname === '') {
        throw new ResolveError(fieldProblem(annotationField(K8GB_ANNOTATIONS.hostname), model.hostname, 'is required for a Gslb that references a LoadBalancer Service', 'set it to the GSLB host, e.g. app.gslb.example.com'));
      }
      return {
        rules: [{ host: model.hostname, field: annotationField(K8GB_ANNOTATIONS.hostname), services: [] }],
        hostServices: [{ namespace: object.namespace, name: object.name }],
        targets: service.addresses,
        via: `Service ${object.namespace}/${object.name}`,
      };
    }
    case 'httproute':
    case 'grpcroute': {
      const object = exactlyOne(view, ref.target, ref);
      const route = cache.route(object);
      if (route.hostnames.length === 0) {
        throw new ResolveError(fieldProblem('spec.resourceRef', ref.name ?? ref.selector, `${route.kind} ${object.namespace}/${object.name} lists no spec.hostnames`, 'give the route the GSLB host in spec.hostnames'));
      }
      if (route.gateways.length !== 1) {
        throw new ResolveError(fieldProblem('spec.resourceRef', ref.name ?? ref.selector, `${route.kind} ${object.namespace}/${object.name} has ${route.gateways.length} Gateway parentRefs, not exactly 1`, 'attach the route to one Gateway'));
      }
      const gatewayRef = route.gateways[0] as { namespace: string; name: string };
      const gatewayObject = view.get('gateway', gatewayRef.namespace, gatewayRef.name);
      if (!gatewayObject) {
        throw new ResolveError(fieldProblem('spec.resourceRef', ref.name ?? ref.selector, `the Gateway ${gatewayRef.namespace}/${gatewayRef.name} of ${route.kind} ${object.namespace}/${object.name} does not exist`, 'create the Gateway or fix parentRefs'));
      }
      const gateway = cache.gateway(gatewayObject);
      report(gatewayObject, resourceName('Gateway', gateway.namespace, gateway.name), gateway.problems);
      return {
        rules: route.hostnames.map((h) => ({ host: h.host, field: h.field, services: [] })),
        hostServices: route.services,
        targets: gateway.addresses,
        via: `${route.kind} ${object.namespace}/${object.name} on Gateway ${gateway.namespace}/${gateway.name}`,
      };
    }
  }
}

function exactlyOne(view: ResourceView, kind: KindId, ref: ResourceRefModel): StoredObject {
  if (ref.name !== undefined && !ref.selector) {
    const object = view.get(kind, ref.namespace, ref.name);
    if (!object) throw new ResolveError(fieldProblem('spec.resourceRef.name', ref.name, `names a ${ref.kind} that does not exist in namespace ${ref.namespace}`, `create ${ref.kind} ${ref.namespace}/${ref.name} or fix the name`));
    return object;
  }
  const selector = ref.selector as NonNullable<ResourceRefModel['selector']>;
  const matches = view.list(kind, ref.namespace).filter((o) => selectorMatches(selector, labelsOf(o)));
  if (matches.length !== 1) {
    throw new ResolveError(fieldProblem('spec.resourceRef', selector, `selects ${matches.length} ${ref.kind} resources in namespace ${ref.namespace}, not exactly 1`, 'make the selector match one resource'));
  }
  return matches[0] as StoredObject;
}

function checkHost(rule: IngressRuleModel, options: ResolveOptions, report: Report, model: GslbModel, resource: string): string | undefined {
  if (rule.host === undefined || rule.host === '') {
    report(model, resource, [fieldProblem(rule.field, rule.host, 'is empty: a rule without a host cannot be a GSLB host', 'give the rule a host')]);
    return undefined;
  }
  if (rule.host.startsWith('*.')) {
    report(model, resource, [fieldProblem(rule.field, rule.host, 'is a wildcard, which a GSLB cannot answer for', 'name each host explicitly')]);
    return undefined;
  }
  const host = normalizeHostName(rule.host);
  if (host === undefined) {
    report(model, resource, [fieldProblem(rule.field, rule.host, 'is not a valid DNS host name', 'use a name such as app.gslb.example.com')]);
    return undefined;
  }
  const zones = options.zones ?? [];
  if (zones.length > 0 && !zones.some((z) => isInZone(host, z))) {
    report(model, resource, [fieldProblem(rule.field, rule.host, `is not in a zone this region serves (${zones.join(', ')})`, 'use a host under a served zone, or add its zone to the config')]);
    return undefined;
  }
  return host;
}

function labelsOf(object: StoredObject): Record<string, string> {
  const labels = object.json.metadata?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {};
}

function uniqueServices(services: ResolvedHost['services']): ResolvedHost['services'] {
  const seen = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  return [...seen.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** Explicit Gslbs before Ingress-declared ones, k8gb.io before the legacy group, then by name. */
function byPrecedence(a: GslbModel, b: GslbModel): number {
  const rank = (m: GslbModel) => `${m.declaredBy === 'Gslb' ? 0 : 1}${m.apiGroup === 'k8gb.io' ? 0 : 1}${m.id}`;
  return rank(a) < rank(b) ? -1 : 1;
}

export function gslbResource(group: string, namespace: string, name: string): string {
  return resourceName(group === 'k8gb.absa.oss' ? 'Gslb.k8gb.absa.oss' : 'Gslb', namespace, name);
}
