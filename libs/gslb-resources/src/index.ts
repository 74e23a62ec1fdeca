// Kinds, objects and the one source interface both modes implement
export { KIND_IDS, RESOURCE_KINDS, apiVersionOfKind, collectionPath, kindOf, supportedKinds, type KindId, type ResourceKind } from './resource-kinds';
export { at, isRecord, namespacedName, stringMap, type KubeObjectJson, type NamespacedName } from './kube-object';
export { keyOf, objectKey, type StoredObject } from './stored-object';
export type { ResourceSink, ResourceSource } from './resource-source';
export { ResourceStore, SERVICE_NAME_LABEL, type ResourceView, type StoreChange } from './resource-store';
export { describeValue, fieldProblem, resourceName, sortProblems, toSpecProblem, type FieldProblem, type SpecProblem } from './spec-problem';

// Annotations, addresses, selectors
export { K8GB_ANNOTATIONS, MERIDIAN_ANNOTATIONS, annotationField } from './annotations';
export { distinctAddresses, isInZone, normalizeHostName, parseAddress, type TargetAddress, type TargetFamily, type TargetOrigin } from './target-address';
export { parseLabelSelector, selectorMatches, type LabelSelector } from './label-selector';

// Parsing and validation, one function per kind
export { compileStrategy, K8GB_STRATEGY_DEFAULTS, type CompileStrategyOptions, type StrategyDefaults, type StrategyFields } from './compile-strategy';
export {
  SERVICE_HEALTH_POLICIES,
  gslbFromIngress,
  parseGslb,
  type GslbApiGroup,
  type GslbModel,
  type GslbParse,
  type ReferencedKind,
  type ResourceRefModel,
  type ServiceHealthPolicy,
} from './parse-gslb';
export { parseIngress, parseIngressRules, type IngressModel, type IngressRuleModel } from './parse-ingress';
export { parseService, type ServiceModel } from './parse-service';
export { parseEndpointSlice, type EndpointSliceModel } from './parse-endpoint-slice';
export { parseGateway, parseRoute, type GatewayModel, type RouteModel } from './parse-gateway';
export { ModelCache } from './model-cache';

// Reference resolution (k8gb's refresolver)
export { gslbResource, resolveGslbs, type GslbResolution, type ResolvedGslb, type ResolvedHost, type ResolveOptions } from './resolve-gslbs';
