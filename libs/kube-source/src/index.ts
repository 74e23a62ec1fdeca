export { KubeApiError, type KubeApi, type ListPage, type WatchEvent, type WatchEventType, type WatchHandle, type WatchOptions } from './kube-api';
export { Reflector, type ReflectorOptions } from './reflector';
export { KubernetesSource, type KubernetesSourceOptions } from './kubernetes-source';
export { createClientNodeApi, loadClientNode, type ClientNodeOptions } from './client-node-api';
export { FileResourceSource, type FileSourceOptions } from './file-source';
export { parseManifests, withoutDuplicates, type ParsedManifests } from './parse-manifests';
export { nullObserver, type ListReason, type SourceObserver, type WatchEndReason } from './source-observer';
export { SourceMetrics } from './source-metrics';
export { RetryBackoff, sleep } from './backoff';
