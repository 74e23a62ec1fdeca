import { normalizeName } from '@meridian/dns-wire';

/**
 * The name k8gb publishes a region's healthy local targets under, and asks other regions for:
 * `localtargets-<host>` in the delegated zone (k8gb's GetExternalTargets).
 */
export function localTargetsName(host: string): string {
  return `localtargets-${normalizeName(host)}`;
}
