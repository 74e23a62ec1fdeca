export type { DnsEndpointRecord, GslbHealth, GslbStatus, GslbStatusSource } from './gslb-status';
export { httpKubeClient, KubeRequestError, plainConnection, type KubeClient, type KubeConnection, type KubeObject, type KubeResponse } from './kube-client';
export { kubeconfigConnection, type KubeconfigOptions } from './client-node-connection';
export { LeaseElector, microTime, type LeaseElectorOptions } from './lease-elector';
export { GSLB_API_GROUPS, GslbStatusWriter, statusPatch, type GslbStatusWriterOptions } from './gslb-status-writer';
export { KubeStatusMetrics } from './kube-status-metrics';
export { KubernetesMode, type KubernetesModeOptions } from './kubernetes-mode';
