/** A region's geotag, as in k8gb's `clusterGeoTag` (for example `eu`, `us`). */
export type GeoTag = string;

export type AddressFamily = 4 | 6;

/** One address that a host's records can answer with. */
export interface Target {
  readonly address: string;
  readonly family: AddressFamily;
}

/** A target as its owning region reported it, with its health. */
export interface RegionTarget extends Target {
  readonly healthy: boolean;
}
