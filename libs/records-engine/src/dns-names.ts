/**
 * Name rules of the zone records assembles. Names are lower case, fully qualified and
 * without the trailing dot, as in the contracts.
 */

/** Lower case, without a trailing dot: the form every name in a zone takes. */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether `name` is `zone` or a name below it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * k8gb's nameserver name for a region in a delegated zone: the zone without its parent,
 * dots made dashes, after `<prefix>-<geotag>-`, inside the parent zone
 * (`gslb.example.com` from `example.com`, region eu → `gslb-ns-eu-gslb.example.com`), as
 * k8gb's depresolver does (`getNsName`), so a mixed k8gb/Meridian fleet shares one NS set.
 */
export function nameserverName(prefix: string, geoTag: string, zone: string, parentZone: string): string {
  const relative = zone.endsWith(`.${parentZone}`) ? zone.slice(0, -(parentZone.length + 1)) : zone;
  return `${prefix}-${geoTag}-${relative.replace(/\./g, '-')}.${parentZone}`;
}

/** k8gb's interop name that answers this region's healthy local targets of `host`. */
export function localTargetsName(host: string): string {
  return `localtargets-${host}`;
}

/** The label under which each region publishes its witness heartbeat. */
export const WITNESS_LABEL = '_witness';

/** `<geotag>._witness.<zone>`: a region's heartbeat name, answered only by its own nameservers. */
export function witnessName(geoTag: string, zone: string): string {
  return `${geoTag}.${WITNESS_LABEL}.${zone}`;
}

/** Finds the zone a host belongs to: the longest configured origin it is in. */
export class ZoneIndex {
  private readonly origins: readonly string[];

  constructor(origins: Iterable<string>) {
    // Longest first, so a host in a child zone lands there and not in its parent.
    this.origins = [...origins].sort((a, b) => b.length - a.length);
  }

  zoneOf(host: string): string | undefined {
    return this.origins.find((origin) => isInZone(host, origin));
  }
}
