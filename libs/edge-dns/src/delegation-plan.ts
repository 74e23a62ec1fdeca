import { isIPv4, isIPv6 } from 'node:net';
import { addressToBytes, bytesToAddress, normalizeName } from '@meridian/dns-wire';
import type { UpdateOperation } from './dns-update';

/** What this region publishes in the parent zone for one delegated zone. */
export interface DesiredDelegation {
  zone: string;
  /** This region's nameserver name (k8gb naming unless configured). */
  nameserver: string;
  /** The glue: this region's DNS service addresses, IPv4 and IPv6. */
  addresses: readonly string[];
  ttlSeconds: number;
}

/** What the parent zone holds now: the zone's NS names, and the glue at this region's name. */
export interface CurrentDelegation {
  nameservers: readonly string[];
  ipv4: readonly string[];
  ipv6: readonly string[];
}

/**
 * The RFC 2136 operations that bring the parent zone from `current` to `desired`, touching
 * only this region's records: its NS record (added, never removed) and the glue at its own
 * nameserver name. Other regions' NS records and glue are never in the plan. An empty plan
 * means the zone is already right.
 */
export function planDelegation(desired: DesiredDelegation, current: CurrentDelegation): UpdateOperation[] {
  const zone = normalizeName(desired.zone);
  const ns = normalizeName(desired.nameserver);
  const ttl = desired.ttlSeconds;
  const plan: UpdateOperation[] = [];
  if (!current.nameservers.map(normalizeName).includes(ns)) plan.push({ op: 'add', name: zone, type: 'NS', ttl, data: ns });
  for (const [type, family, have] of [
    ['A', 4, current.ipv4],
    ['AAAA', 6, current.ipv6],
  ] as const) {
    const want = new Set(desired.addresses.filter((a) => (family === 4 ? isIPv4(a) : isIPv6(a))).map((a) => canonicalAddress(a, family)));
    const present = new Set(have.map((a) => canonicalAddress(a, family)));
    for (const address of present) if (!want.has(address)) plan.push({ op: 'delete', name: ns, type, data: address });
    for (const address of want) if (!present.has(address)) plan.push({ op: 'add', name: ns, type, ttl, data: address });
  }
  return plan;
}

/** The same text form the wire decoder produces, so "2001:DB8::0:1" and "2001:db8::1" compare equal. */
export function canonicalAddress(address: string, family: 4 | 6): string {
  return bytesToAddress(addressToBytes(address, family), family);
}
