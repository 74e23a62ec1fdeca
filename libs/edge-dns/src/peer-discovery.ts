import type { DnsClient } from '@meridian/dns-wire';
import { geotagOfNameserver, type DelegatedZone } from './delegation-names';
import { lookupAtEdge } from './edge-lookup';

/** A region found at the edge DNS: an NS name in k8gb's naming, and its glue. */
export interface DiscoveredRegion {
  geotag: string;
  nameserver: string;
  zone: string;
  ipv4: string[];
  ipv6: string[];
}

/**
 * The regions that serve a delegated zone, read from the edge DNS the way k8gb names them:
 * every NS record `gslb-ns-<geotag>-…` of the zone, with the glue A/AAAA at that name. NS
 * names in another form are not regions and are skipped. Transport errors reject, so a DNS
 * outage is never mistaken for every region leaving.
 */
export async function discoverRegions(client: DnsClient, server: string, delegation: DelegatedZone): Promise<DiscoveredRegion[]> {
  const nameservers = await lookupAtEdge(client, server, delegation.zone, 'NS');
  const regions: DiscoveredRegion[] = [];
  for (const nameserver of nameservers) {
    const geotag = geotagOfNameserver(nameserver, delegation);
    if (geotag === undefined) continue;
    const [ipv4, ipv6] = await Promise.all([lookupAtEdge(client, server, nameserver, 'A'), lookupAtEdge(client, server, nameserver, 'AAAA')]);
    regions.push({ geotag, nameserver, zone: delegation.zone, ipv4, ipv6 });
  }
  return regions.sort((a, b) => a.geotag.localeCompare(b.geotag));
}
