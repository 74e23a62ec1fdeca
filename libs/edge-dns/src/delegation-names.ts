import { normalizeName } from '@meridian/dns-wire';

/** A delegated zone and the parent zone (at the edge DNS) that delegates it. */
export interface DelegatedZone {
  /** The zone the regions serve, for example "gslb.example.com". */
  zone: string;
  /** The zone at the edge DNS that holds the NS records and glue, for example "example.com". */
  parent: string;
}

const PREFIX = 'gslb-ns';

/**
 * k8gb's nameserver name for a region: `gslb-ns-<geotag>-<zone without the parent, dots as
 * dashes>.<parent>`, so gslb.example.com delegated from example.com is served in region eu by
 * gslb-ns-eu-gslb.example.com. Keeping the name lets k8gb regions and Meridian regions find
 * each other at the edge.
 */
export function nameserverName(geotag: string, delegation: DelegatedZone): string {
  const zone = normalizeName(delegation.zone);
  const parent = normalizeName(delegation.parent);
  return `${PREFIX}-${geotag}-${zoneLabel(zone, parent)}.${parent}`;
}

/** The geotag in a nameserver name that follows k8gb's naming for this zone, else undefined. */
export function geotagOfNameserver(name: string, delegation: DelegatedZone): string | undefined {
  const zone = normalizeName(delegation.zone);
  const parent = normalizeName(delegation.parent);
  const ns = normalizeName(name);
  const prefix = `${PREFIX}-`;
  const suffix = `-${zoneLabel(zone, parent)}.${parent}`;
  if (!ns.startsWith(prefix) || !ns.endsWith(suffix)) return undefined;
  const geotag = ns.slice(prefix.length, ns.length - suffix.length);
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(geotag) ? geotag : undefined;
}

function zoneLabel(zone: string, parent: string): string {
  if (zone === parent || !zone.endsWith(`.${parent}`)) throw new Error(`zone "${zone}" is not below its parent "${parent}"`);
  return zone.slice(0, zone.length - parent.length - 1).replace(/\./g, '-');
}
