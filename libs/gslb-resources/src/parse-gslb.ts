import type { StrategySpec } from '@meridian/strategies';
import { annotationField, K8GB_ANNOTATIONS } from './annotations';
import { compileStrategy, type CompileStrategyOptions } from './compile-strategy';
import { at, isRecord, namespacedName, stringMap, type NamespacedName } from './kube-object';
import { parseLabelSelector, type LabelSelector } from './label-selector';
import { parseIngressRules, type IngressRuleModel } from './parse-ingress';
import { fieldProblem, type FieldProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import { parseAddress, type TargetAddress } from './target-address';

export type GslbApiGroup = 'k8gb.io' | 'k8gb.absa.oss';
export const SERVICE_HEALTH_POLICIES = ['Any', 'All'] as const;
export type ServiceHealthPolicy = (typeof SERVICE_HEALTH_POLICIES)[number];

/** What a resourceRef may point at, as k8gb's reference resolvers accept. */
export type ReferencedKind = 'ingress' | 'service' | 'httproute' | 'grpcroute';

export interface ResourceRefModel {
  target: ReferencedKind;
  apiVersion: string;
  kind: string;
  namespace: string;
  name?: string;
  selector?: LabelSelector;
}

/** A validated Gslb: its strategy compiled, its references read, nothing resolved yet. */
export interface GslbModel {
  apiGroup: GslbApiGroup;
  namespace: string;
  name: string;
  id: NamespacedName;
  origin: string;
  /** `Gslb`, or `Ingress` for one that k8gb's Ingress annotations declare. */
  declaredBy: 'Gslb' | 'Ingress';
  annotations: Record<string, string>;
  /** spec.ingress.rules when the Ingress is embedded (k8gb names that Ingress after the Gslb). */
  embeddedRules?: IngressRuleModel[];
  resourceRef?: ResourceRefModel;
  strategy: StrategySpec;
  serviceHealthPolicy: ServiceHealthPolicy;
  /** k8gb.io/exposed-ip-addresses: replaces the addresses found in status. */
  exposedAddresses?: TargetAddress[];
  /** k8gb.io/hostname: the host of a Gslb that references a LoadBalancer Service. */
  hostname?: string;
}

export interface GslbParse {
  model?: GslbModel;
  problems: FieldProblem[];
}

const REFERENCES: { apiVersions: RegExp; kind: string; target: ReferencedKind }[] = [
  { apiVersions: /^networking\.k8s\.io\/v1$/, kind: 'Ingress', target: 'ingress' },
  { apiVersions: /^v1$/, kind: 'Service', target: 'service' },
  { apiVersions: /^gateway\.networking\.k8s\.io\/v1(beta1)?$/, kind: 'HTTPRoute', target: 'httproute' },
  { apiVersions: /^gateway\.networking\.k8s\.io\/v1(alpha2)?$/, kind: 'GRPCRoute', target: 'grpcroute' },
];

/** Validates a Gslb of either API group, listing every problem; no model when any is fatal. */
export function parseGslb(object: StoredObject, options: CompileStrategyOptions): GslbParse {
  const problems: FieldProblem[] = [];
  const json = object.json;
  const spec = at(json, 'spec');
  const annotations = stringMap(at(json, 'metadata', 'annotations'));
  if (!isRecord(spec)) {
    problems.push(fieldProblem('spec', spec, 'is missing', 'give the Gslb a spec with strategy and ingress or resourceRef'));
    return { problems };
  }
  const strategy = compileStrategy(
    {
      type: { value: at(spec, 'strategy', 'type'), field: 'spec.strategy.type' },
      primaryGeoTag: { value: at(spec, 'strategy', 'primaryGeoTag'), field: 'spec.strategy.primaryGeoTag' },
      weight: { value: at(spec, 'strategy', 'weight'), field: 'spec.strategy.weight' },
      dnsTtlSeconds: { value: at(spec, 'strategy', 'dnsTtlSeconds'), field: 'spec.strategy.dnsTtlSeconds' },
    },
    annotations,
    options,
    problems,
  );

  const policy = spec['serviceHealthPolicy'] ?? 'Any';
  if (!(SERVICE_HEALTH_POLICIES as readonly unknown[]).includes(policy)) {
    problems.push(fieldProblem('spec.serviceHealthPolicy', policy, 'is not a service health policy', 'use Any (the default) or All'));
  }

  const resourceRef = parseResourceRef(spec['resourceRef'], object.namespace, problems);
  const embedded = isRecord(spec['ingress']) ? parseIngressRules(spec['ingress'], 'spec.ingress', problems) : undefined;
  if (!resourceRef && (!embedded || embedded.length === 0) && !problems.some((p) => p.field.startsWith('spec.resourceRef'))) {
    problems.push(fieldProblem('spec', undefined, 'has neither spec.resourceRef nor spec.ingress.rules', 'reference an Ingress, Service or route in spec.resourceRef, or embed spec.ingress'));
  }

  const exposedAddresses = parseExposedAddresses(annotations, problems);
  const hostname = annotations[K8GB_ANNOTATIONS.hostname];
  if (problems.length > 0 || !strategy) return { problems };
  return {
    model: {
      apiGroup: object.kind.group as GslbApiGroup,
      namespace: object.namespace,
      name: object.name,
      id: namespacedName(object.namespace, object.name),
      origin: object.origin,
      declaredBy: 'Gslb',
      annotations,
      ...(resourceRef ? { resourceRef } : { embeddedRules: embedded ?? [] }),
      strategy,
      serviceHealthPolicy: policy as ServiceHealthPolicy,
      ...(exposedAddresses ? { exposedAddresses } : {}),
      ...(hostname !== undefined ? { hostname } : {}),
    },
    problems,
  };
}

/**
 * k8gb turns an Ingress annotated with `k8gb.io/strategy` into a Gslb of the same name that
 * references it; so does Meridian. Undefined when the Ingress carries no such annotation.
 */
export function gslbFromIngress(object: StoredObject, options: CompileStrategyOptions): GslbParse | undefined {
  const annotations = stringMap(at(object.json, 'metadata', 'annotations'));
  if (annotations[K8GB_ANNOTATIONS.strategy] === undefined) return undefined;
  const problems: FieldProblem[] = [];
  const strategy = compileStrategy(
    {
      type: { value: annotations[K8GB_ANNOTATIONS.strategy], field: annotationField(K8GB_ANNOTATIONS.strategy) },
      primaryGeoTag: { value: annotations[K8GB_ANNOTATIONS.primaryGeoTag], field: annotationField(K8GB_ANNOTATIONS.primaryGeoTag) },
      weight: { value: undefined, field: 'spec.strategy.weight' },
      dnsTtlSeconds: { value: annotations[K8GB_ANNOTATIONS.dnsTtlSeconds], field: annotationField(K8GB_ANNOTATIONS.dnsTtlSeconds) },
    },
    annotations,
    options,
    problems,
  );
  const exposedAddresses = parseExposedAddresses(annotations, problems);
  if (problems.length > 0 || !strategy) return { problems };
  return {
    model: {
      apiGroup: 'k8gb.io',
      namespace: object.namespace,
      name: object.name,
      id: namespacedName(object.namespace, object.name),
      origin: object.origin,
      declaredBy: 'Ingress',
      annotations,
      resourceRef: { target: 'ingress', apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: object.namespace, name: object.name },
      strategy,
      serviceHealthPolicy: 'Any',
      ...(exposedAddresses ? { exposedAddresses } : {}),
    },
    problems,
  };
}

function parseResourceRef(raw: unknown, gslbNamespace: string, problems: FieldProblem[]): ResourceRefModel | undefined {
  if (raw === undefined || raw === null || (isRecord(raw) && Object.keys(raw).length === 0)) return undefined;
  if (!isRecord(raw)) {
    problems.push(fieldProblem('spec.resourceRef', raw, 'must be an object reference', 'write resourceRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: web}'));
    return undefined;
  }
  const apiVersion = raw['apiVersion'];
  const kind = raw['kind'];
  const reference = REFERENCES.find((r) => typeof apiVersion === 'string' && r.apiVersions.test(apiVersion) && r.kind === kind);
  if (!reference) {
    problems.push(
      fieldProblem('spec.resourceRef', { apiVersion, kind }, 'references a kind Meridian cannot resolve', 'use networking.k8s.io/v1 Ingress, v1 Service (LoadBalancer), or gateway.networking.k8s.io/v1 HTTPRoute or GRPCRoute'),
    );
    return undefined;
  }
  const before = problems.length;
  const selector = parseLabelSelector(raw, 'spec.resourceRef', problems);
  const name = typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : undefined;
  if (!name && !selector) {
    problems.push(fieldProblem('spec.resourceRef', raw, 'has neither name nor matchLabels/matchExpressions', 'name the resource, or select it by labels'));
  }
  if (problems.length > before) return undefined;
  const namespace = typeof raw['namespace'] === 'string' && raw['namespace'] !== '' ? raw['namespace'] : gslbNamespace;
  // As in k8gb, a name wins over a selector only when no selector is given.
  return { target: reference.target, apiVersion: apiVersion as string, kind: kind as string, namespace, ...(selector ? { selector } : { name }) };
}

function parseExposedAddresses(annotations: Record<string, string>, problems: FieldProblem[]): TargetAddress[] | undefined {
  const text = annotations[K8GB_ANNOTATIONS.exposedIpAddresses];
  if (text === undefined) return undefined;
  const field = annotationField(K8GB_ANNOTATIONS.exposedIpAddresses);
  const out: TargetAddress[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const parsed = parseAddress(part);
    if (!parsed || parsed.family === 'name') {
      problems.push(fieldProblem(field, part, 'is not an IP address', 'list IPv4 or IPv6 addresses separated by commas, e.g. "192.0.2.10,2001:db8::10"'));
      continue;
    }
    out.push({ ...parsed, source: 'exposedIpAnnotation' });
  }
  if (out.length === 0 && !problems.some((p) => p.field === field)) {
    problems.push(fieldProblem(field, text, 'lists no address', 'list IP addresses separated by commas, or remove the annotation'));
  }
  return out;
}
