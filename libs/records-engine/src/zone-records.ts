import { RecordType, type RecordSet, type ResourceRecord, type ZoneHeader } from '@meridian/proto';
import { localTargetsName, nameserverName, witnessName } from './dns-names';
import type { HostPlans } from './host-plans';
import { isHealthy, type TargetReport } from './reports';
import type { RecordsSettings, ZoneSettings } from './records-settings';
import { hostAnswersToProto } from './to-proto';
import { formatWitnessHeartbeat } from './witness-heartbeat';

/** Pure assembly of a zone's parts, as the contracts carry them. */

/** Every region's nameserver name for the zone, sorted as k8gb sorts its NS list. */
export function nameserversOf(zone: ZoneSettings, settings: RecordsSettings): string[] {
  return settings.regions.map((r) => nameserverName(settings.nameserverPrefix, r.geoTag, zone.origin, zone.parentZone)).sort();
}

/** The apex: SOA (its MNAME is this region's nameserver), every region's NS, and the geo routes. */
export function zoneHeader(zone: ZoneSettings, settings: RecordsSettings): ZoneHeader {
  return {
    origin: zone.origin,
    soa: {
      mname: nameserverName(settings.nameserverPrefix, settings.localGeoTag, zone.origin, zone.parentZone),
      rname: zone.soa.rname || `hostmaster.${zone.origin}`,
      refresh: zone.soa.refresh,
      retry: zone.soa.retry,
      expire: zone.soa.expire,
      minimum: zone.soa.minimum,
      ttlSeconds: zone.soa.ttlSeconds,
    },
    nameservers: nameserversOf(zone, settings),
    nsTtlSeconds: zone.nsTtlSeconds,
    geoRoutes: settings.geoCidrs.map((g) => ({ cidr: g.cidr, region: g.geoTag })),
  };
}

/**
 * The other regions' heartbeat names, each delegated to that region's own nameserver only:
 * a resolver that asks us is referred there, so only that region can prove it is reachable.
 */
export function witnessDelegations(zone: ZoneSettings, settings: RecordsSettings): RecordSet[] {
  return settings.regions
    .filter((r) => r.geoTag !== settings.localGeoTag)
    .map((r) => ({
      name: witnessName(r.geoTag, zone.origin),
      ttlSeconds: settings.witnessHeartbeat.delegationTtlSeconds,
      content: {
        $case: 'records' as const,
        records: { records: [{ type: RecordType.RECORD_TYPE_NS, data: nameserverName(settings.nameserverPrefix, r.geoTag, zone.origin, zone.parentZone) }] },
      },
    }));
}

/** This region's heartbeat TXT at `<geotag>._witness.<zone>`. */
export function witnessHeartbeatSet(zone: ZoneSettings, settings: RecordsSettings, sequence: number, nowMs: number): RecordSet {
  const text = formatWitnessHeartbeat({ sequence, timeMs: nowMs, region: settings.localGeoTag });
  return {
    name: witnessName(settings.localGeoTag, zone.origin),
    ttlSeconds: settings.witnessHeartbeat.ttlSeconds,
    content: { $case: 'records', records: { records: [{ type: RecordType.RECORD_TYPE_TXT, data: text }] } },
  };
}

/** A GSLB host's record set: its A and AAAA plans; undefined when it has nothing to answer. */
export function hostRecordSet(host: string, ttlSeconds: number, plans: HostPlans): RecordSet | undefined {
  if (plans.a === undefined && plans.aaaa === undefined) return undefined;
  return { name: host, ttlSeconds, content: { $case: 'host', host: hostAnswersToProto(plans) } };
}

/**
 * k8gb's `localtargets-<host>`: this region's healthy local addresses as fixed A and AAAA
 * records (what k8gb peers read over DNS). Like k8gb, absent when none is healthy. NAME
 * targets are left out: k8gb resolves them to addresses, and records does no DNS lookups.
 */
export function localTargetsSet(host: string, ttlSeconds: number, targets: readonly TargetReport[]): RecordSet | undefined {
  const records: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (!isHealthy(t) || t.family === 'name' || seen.has(t.address)) continue;
    seen.add(t.address);
    records.push({ type: t.family === 'ipv4' ? RecordType.RECORD_TYPE_A : RecordType.RECORD_TYPE_AAAA, data: t.address });
  }
  if (records.length === 0) return undefined;
  return { name: localTargetsName(host), ttlSeconds, content: { $case: 'records', records: { records } } };
}
