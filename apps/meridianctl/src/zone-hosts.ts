import type { AnswerPlan, WatchZoneResponse } from '@meridian/proto';
import { strategyLabel } from './labels';

/** One address family's current answer for a host: variant 0 of its plan, and how variants are picked. */
export interface HostFamilyAnswer {
  region: string;
  host: string;
  family: 'A' | 'AAAA';
  strategy: string;
  selector: string;
  answer: string[];
  variants: number;
  ttlSeconds: number;
  failOpen: boolean;
}

/** Every GSLB host of a WatchZone snapshot, one entry per address family that has a plan. */
export function hostAnswers(region: string, response: WatchZoneResponse): HostFamilyAnswer[] {
  if (response.event?.$case !== 'snapshot') return [];
  const rows: HostFamilyAnswer[] = [];
  for (const zone of response.event.snapshot.zones) {
    for (const set of zone.recordSets) {
      if (set.content?.$case !== 'host') continue;
      const plans: ['A' | 'AAAA', AnswerPlan | undefined][] = [
        ['A', set.content.host.a],
        ['AAAA', set.content.host.aaaa],
      ];
      for (const [family, plan] of plans) {
        if (!plan) continue;
        rows.push({
          region,
          host: set.name,
          family,
          strategy: strategyLabel(plan.strategy),
          selector: selectorLabel(plan),
          answer: (plan.variants[0]?.targets ?? []).map((t) => t.address),
          variants: plan.variants.length,
          ttlSeconds: set.ttlSeconds,
          failOpen: plan.failOpen,
        });
      }
    }
  }
  return rows.sort((a, b) => a.host.localeCompare(b.host) || a.region.localeCompare(b.region) || a.family.localeCompare(b.family));
}

/** "single", "rotate", "weighted 0.8/0.2", "geo eu→0 us→1 default 0". */
export function selectorLabel(plan: AnswerPlan): string {
  const selector = plan.selector;
  switch (selector?.$case) {
    case 'single':
      return 'single';
    case 'rotate':
      return 'rotate';
    case 'weighted':
      return `weighted ${selector.weighted.weights.map((w) => Number(w.toFixed(3))).join('/')}`;
    case 'geo': {
      const routes = Object.entries(selector.geo.variantByRegion).map(([region, variant]) => `${region}→${variant}`);
      return `geo ${[...routes, `default→${selector.geo.defaultVariant}`].join(' ')}`;
    }
    default:
      return 'none';
  }
}
