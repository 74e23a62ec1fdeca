import { lookupPacked, packedScope, packedTag, type CidrTable } from './cidr-table';
import type { ParsedAddress } from './parsed-address';
import type { GeoTag } from './target';

/** Where a client is, as a locator saw it. Reused across queries: filled in place. */
export interface GeoMatch {
  geoTag: GeoTag | undefined;
  /** The ECS scope to echo if the answer depends on this match. */
  scopePrefixLength: number;
}

export function createGeoMatch(): GeoMatch {
  return { geoTag: undefined, scopePrefixLength: 0 };
}

/**
 * Maps a client address to a region. The library ships the CIDR implementation; a MaxMind
 * lookup (k8gb reads its `datacenter` field) plugs in behind the same interface.
 * Must fill `out` without allocating, and return it.
 */
export interface GeoLocator {
  locate(address: ParsedAddress, out: GeoMatch): GeoMatch;
}

/** A {@link GeoLocator} over a compiled CIDR → region table (longest prefix wins). */
export class CidrGeoLocator implements GeoLocator {
  constructor(readonly table: CidrTable) {}

  locate(address: ParsedAddress, out: GeoMatch): GeoMatch {
    const packed = lookupPacked(this.table, address);
    out.geoTag = this.table.geoTags[packedTag(packed)];
    out.scopePrefixLength = packedScope(packed);
    return out;
  }
}
