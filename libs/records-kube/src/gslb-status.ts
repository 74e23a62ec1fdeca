/** k8gb's per-host health values, as `status.serviceHealth` holds them. */
export type GslbHealth = 'Healthy' | 'Unhealthy' | 'NotFound';

/**
 * The part of a Gslb's status that records owns, with k8gb's field names and shapes
 * (api/v1beta1 GslbStatus): health per host, the answered targets per host, this region's
 * geotag, and the hosts as a comma-separated list.
 */
export interface GslbStatus {
  readonly serviceHealth: Readonly<Record<string, GslbHealth>>;
  readonly healthyRecords: Readonly<Record<string, readonly string[]>>;
  readonly geoTag: string;
  readonly hosts: string;
}

/** A host's answer as an ExternalDNS endpoint (k8gb's DNSEndpoint per Gslb). */
export interface DnsEndpointRecord {
  readonly dnsName: string;
  readonly recordType: 'A' | 'AAAA' | 'CNAME';
  readonly recordTTL: number;
  readonly targets: readonly string[];
}

/** Where the leader reads what to write: records' engine implements it. */
export interface GslbStatusSource {
  /** Every Gslb (`namespace/name`) records knows of. */
  gslbKeys(): string[];
  statusOf(key: string): GslbStatus | undefined;
  /** The DNSEndpoint records of a Gslb's hosts, for ExternalDNS users. */
  endpointsOf(key: string): DnsEndpointRecord[];
  /** Calls `listener` with the Gslbs whose status may have changed. */
  onGslbsChanged(listener: (keys: ReadonlySet<string>) => void): void;
}
