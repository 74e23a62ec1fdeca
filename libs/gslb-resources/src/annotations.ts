/** k8gb's annotations, read as k8gb reads them. */
export const K8GB_ANNOTATIONS = {
  /** On a Gslb: comma-separated addresses that replace the ones found in status. */
  exposedIpAddresses: 'k8gb.io/exposed-ip-addresses',
  /** On a Gslb that references a LoadBalancer Service: the GSLB host name. */
  hostname: 'k8gb.io/hostname',
  /** On an Ingress: makes it a Gslb of its own with this strategy type. */
  strategy: 'k8gb.io/strategy',
  primaryGeoTag: 'k8gb.io/primary-geotag',
  dnsTtlSeconds: 'k8gb.io/dns-ttl-seconds',
} as const;

/**
 * Meridian's own options. They live in annotations because k8gb's Gslb CRD prunes unknown
 * fields, so a Gslb stays valid for k8gb and a mixed fleet keeps working.
 */
export const MERIDIAN_ANNOTATIONS = {
  /** failOpen | empty | lastKnownGood */
  whenAllUnhealthy: 'meridian.io/when-all-unhealthy',
  /** reorderAll | chosenOnly */
  weightedMode: 'meridian.io/weighted-mode',
  /** An ordered failover list, `eu,us,za`; it extends k8gb's single primaryGeoTag. */
  failoverOrder: 'meridian.io/failover-order',
  /** Active health checks, a YAML or JSON list (read by the prober). */
  checks: 'meridian.io/checks',
} as const;

export function annotationField(name: string): string {
  return `metadata.annotations["${name}"]`;
}
