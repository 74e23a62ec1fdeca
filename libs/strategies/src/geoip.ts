import type { GeoSelector } from './answer-plan';
import type { Strategy } from './strategy';
import { distinctTargets, targetListKey } from './target-lists';
import type { GeoTag, Target } from './target';

/**
 * geoip: a client gets its own region's healthy targets; if it has none, those of the
 * nearest region (per `proximity`) that has some; else every healthy target (also the
 * answer for clients in no known region). One variant per distinct answer; `dns` picks one
 * per query from the client subnet.
 */
export const geoipStrategy: Strategy = {
  kind: 'geoip',
  plan({ spec, regions, knownGeoTags, geo }) {
    const answering = new Map<GeoTag, readonly Target[]>();
    for (const r of regions) if (r.healthy.length > 0) answering.set(r.geoTag, r.healthy);
    if (answering.size === 0) return null;

    const variants: Target[][] = [];
    const indexByKey = new Map<string, number>();
    const variantOf = (targets: readonly Target[]): number => {
      const list = distinctTargets(targets);
      const key = targetListKey(list);
      let index = indexByKey.get(key);
      if (index === undefined) {
        index = variants.push(list) - 1;
        indexByKey.set(key, index);
      }
      return index;
    };

    const defaultVariant = variantOf([...answering.values()].flat());
    const proximity = spec.proximity ?? {};
    const answerFor = (geoTag: GeoTag): number => {
      for (const candidate of [geoTag, ...(proximity[geoTag] ?? [])]) {
        const targets = answering.get(candidate);
        if (targets !== undefined) return variantOf(targets);
      }
      return defaultVariant;
    };

    const tableTags = geo?.geoTags ?? [];
    // No prototype: a geotag is data, never an inherited property.
    const variantByGeoTag = Object.create(null) as Record<GeoTag, number>;
    for (const geoTag of new Set([...knownGeoTags, ...tableTags, ...Object.keys(proximity)])) {
      variantByGeoTag[geoTag] = answerFor(geoTag);
    }
    const selector: GeoSelector = {
      kind: 'geo',
      ...(geo === undefined ? {} : { table: geo }),
      regionVariant: tableTags.map((geoTag) => variantByGeoTag[geoTag] as number),
      variantByGeoTag,
      defaultVariant,
    };
    // The default answer holds every answering region.
    return { variants, selector, used: new Set(answering.keys()) };
  },
};
