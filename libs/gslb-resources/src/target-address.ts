import { isIP } from 'node:net';

export type TargetFamily = 'ipv4' | 'ipv6' | 'name';

/** Where a target address was found (meridian.v1.TargetSource). */
export type TargetOrigin = 'ingress' | 'gateway' | 'loadBalancer' | 'exposedIpAnnotation';

/** One address a client may be sent to for a host: answered as A, AAAA or CNAME. */
export interface TargetAddress {
  address: string;
  family: TargetFamily;
  source: TargetOrigin;
}

/**
 * Reads an address: IPv4 as given, IPv6 in its canonical compressed lower-case form (so the
 * same address always compares equal), or a DNS name (lower case, no trailing dot).
 * Undefined when it is none of these.
 */
export function parseAddress(text: string): { address: string; family: TargetFamily } | undefined {
  const trimmed = text.trim();
  const version = isIP(trimmed);
  if (version === 4) return { address: trimmed, family: 'ipv4' };
  if (version === 6) {
    if (trimmed.includes('%')) return undefined;
    // The WHATWG URL parser prints IPv6 in RFC 5952 form.
    return { address: new URL(`http://[${trimmed}]/`).hostname.slice(1, -1), family: 'ipv6' };
  }
  const name = normalizeHostName(trimmed);
  return name === undefined ? undefined : { address: name, family: 'name' };
}

/** A DNS host name in lower case without the trailing dot, or undefined when it is not one. */
export function normalizeHostName(text: string): string | undefined {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  // A name has two labels or more, and its last label is never all digits (that would be an IP).
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1] as string)) return undefined;
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  return labels.every((l) => label.test(l) || l === '_' || /^_[a-z0-9-]{1,62}$/.test(l)) ? name : undefined;
}

/** Whether `host` is `zone` or lies under it. */
export function isInZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/** Keeps the first of each address, in order. */
export function distinctAddresses(targets: readonly TargetAddress[]): TargetAddress[] {
  const seen = new Set<string>();
  return targets.filter((t) => (seen.has(t.address) ? false : (seen.add(t.address), true)));
}
