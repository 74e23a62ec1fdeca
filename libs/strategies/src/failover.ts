import type { Strategy } from './strategy';
import { primaryGeoTags, type StrategySpec } from './strategy-spec';
import type { GeoTag } from './target';

/**
 * The failover order: `primaryGeoTag` (a list; k8gb's single string is a list of one), then
 * the regions nearest to the last primary per `proximity`, then every other region by
 * geotag. Deterministic, so every region computes the same order.
 */
export function failoverOrder(spec: StrategySpec, knownGeoTags: readonly GeoTag[]): GeoTag[] {
  const primary = primaryGeoTags(spec);
  const last = primary[primary.length - 1];
  const nearest = last === undefined ? [] : (spec.proximity?.[last] ?? []);
  return [...new Set([...primary, ...nearest, ...[...knownGeoTags].sort()])];
}

/**
 * k8gb failover: the healthy targets of the first region in the failover order that has
 * one. Only that region answers, so with 3+ regions just the right secondary is returned.
 */
export const failoverStrategy: Strategy = {
  kind: 'failover',
  plan({ spec, regions, knownGeoTags }) {
    const answering = new Map(regions.filter((r) => r.healthy.length > 0).map((r) => [r.geoTag, r]));
    for (const geoTag of failoverOrder(spec, knownGeoTags)) {
      const region = answering.get(geoTag);
      if (region !== undefined) {
        return { variants: [[...region.healthy]], selector: { kind: 'single' }, used: new Set([geoTag]) };
      }
    }
    return null;
  },
};
