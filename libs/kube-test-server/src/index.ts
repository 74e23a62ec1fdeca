export { KubeTestServer, type KubeTestServerOptions, type RecordedRequest } from './kube-test-server';
export { ObjectStore, type ChangeEvent, type KubeObject, type ObjectMeta, type WatchEventType } from './object-store';
export { apiVersionOf, DEFAULT_RESOURCE_TYPES, typeKey, type ResourceType } from './resource-types';
export { apiStatus, type ApiStatus } from './api-status';
export { kubeconfigFor, type KubeconfigOptions } from './kubeconfig';
export { matchesLabels, parseLabelSelector, type LabelRequirement } from './label-selector';
export { jsonPatch, mergePatch, PatchError } from './patch';
