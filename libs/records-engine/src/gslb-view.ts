import type { DnsEndpointRecord, GslbHealth, GslbStatus } from '@meridian/records-kube';
import { primaryGeoTags } from '@meridian/strategies';
import { localTargetsName } from './dns-names';
import { plansOf, type HostPlans } from './host-plans';
import type { GslbMetricsView } from './records-metrics';
import { splitGslbKey } from './records-metrics';
import { isHealthy, type HostReport, type ServiceHealth } from './reports';
import type { HostState } from './records-engine';

/** One host of a Gslb, as the status and the k8gb metrics see it. */
export interface GslbHostView {
  readonly host: string;
  readonly state: HostState;
  readonly local: HostReport | undefined;
}

/** k8gb has three values: "not judged yet" counts as Unhealthy; a host with no local data is NotFound here. */
function gslbHealth(health: ServiceHealth | undefined): GslbHealth {
  if (health === undefined) return 'NotFound';
  return health === 'Unspecified' ? 'Unhealthy' : health;
}

/**
 * Every address a host can answer with (all variants of both families), sorted. A fail-open
 * answer is not healthy, so it counts as none, as in k8gb's `healthyRecords`.
 */
export function answeredTargets(plans: HostPlans | undefined): string[] {
  const all = plansOf(plans);
  if (all.some(({ plan }) => plan.failOpen)) return [];
  const addresses = new Set<string>();
  for (const { plan } of all) for (const variant of plan.variants) for (const t of variant) addresses.add(t.address);
  return [...addresses].sort();
}

/** k8gb's Gslb status fields for the Gslb's hosts. */
export function gslbStatusOf(hosts: readonly GslbHostView[], geoTag: string): GslbStatus {
  const serviceHealth: Record<string, GslbHealth> = {};
  const healthyRecords: Record<string, string[]> = {};
  for (const { host, state, local } of hosts) {
    serviceHealth[host] = gslbHealth(local?.serviceHealth);
    const targets = answeredTargets(state.plans);
    if (targets.length > 0) healthyRecords[host] = targets;
  }
  return { serviceHealth, healthyRecords, geoTag, hosts: hosts.map((h) => h.host).join(', ') };
}

type StrategyLabel = GslbMetricsView['strategyCounts'][number]['strategy'];

/** k8gb's per-Gslb metric values. */
export function gslbMetricsOf(key: string, hosts: readonly GslbHostView[], localGeoTag: string): GslbMetricsView {
  const [namespace, name] = splitGslbKey(key);
  const hostsByHealth = { Healthy: 0, Unhealthy: 0, NotFound: 0 };
  const counts = new Map<string, { strategy: StrategyLabel; status: string; value: number }>();
  let healthyRecords = 0;
  for (const { state, local } of hosts) {
    const health = gslbHealth(local?.serviceHealth);
    hostsByHealth[health] += 1;
    const targets = answeredTargets(state.plans).length;
    healthyRecords += targets;
    const spec = state.spec?.strategy;
    if (spec === undefined) continue;
    const strategy: StrategyLabel = spec.type === 'roundRobin' ? 'roundrobin' : spec.type;
    // k8gb tags failover counts with this region's role: Healthy_primary, Unhealthy_secondary…
    const tag = spec.type !== 'failover' ? '' : primaryGeoTags(spec)[0] === localGeoTag ? '_primary' : '_secondary';
    for (const h of ['Healthy', 'Unhealthy', 'NotFound'] as const) {
      const status = `${h}${tag}`;
      const entry = counts.get(`${strategy} ${status}`) ?? { strategy, status, value: 0 };
      if (h === health) entry.value += targets;
      counts.set(`${strategy} ${status}`, entry);
    }
  }
  return { namespace, name, healthyRecords, hostsByHealth, strategyCounts: [...counts.values()] };
}

/** k8gb's DNSEndpoint content: each host's answer and its localtargets- name. */
export function endpointsOf(hosts: readonly GslbHostView[]): DnsEndpointRecord[] {
  const records: DnsEndpointRecord[] = [];
  for (const { host, state, local } of hosts) {
    if (state.zone === undefined) continue;
    const ttl = state.spec?.strategy?.dnsTtlSeconds ?? 30;
    const targets = answeredTargets(state.plans);
    const v4 = targets.filter((t) => /^\d+\.\d+\.\d+\.\d+$/.test(t));
    const v6 = targets.filter((t) => t.includes(':'));
    const names = targets.filter((t) => !v4.includes(t) && !v6.includes(t));
    if (names.length > 0) records.push({ dnsName: host, recordType: 'CNAME', recordTTL: ttl, targets: names.slice(0, 1) });
    else {
      if (v4.length > 0) records.push({ dnsName: host, recordType: 'A', recordTTL: ttl, targets: v4 });
      if (v6.length > 0) records.push({ dnsName: host, recordType: 'AAAA', recordTTL: ttl, targets: v6 });
    }
    const healthy = (local?.targets ?? []).filter(isHealthy);
    const lv4 = healthy.filter((t) => t.family === 'ipv4').map((t) => t.address);
    const lv6 = healthy.filter((t) => t.family === 'ipv6').map((t) => t.address);
    if (lv4.length > 0) records.push({ dnsName: localTargetsName(host), recordType: 'A', recordTTL: ttl, targets: lv4 });
    if (lv6.length > 0) records.push({ dnsName: localTargetsName(host), recordType: 'AAAA', recordTTL: ttl, targets: lv6 });
  }
  return records;
}
