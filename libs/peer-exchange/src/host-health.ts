import { HostHealth } from '@meridian/proto';

/** Two views of a host carry the same data (compared by their encoding, so every field counts). */
export function sameHostHealth(a: HostHealth, b: HostHealth): boolean {
  return Buffer.from(HostHealth.encode(a).finish()).equals(Buffer.from(HostHealth.encode(b).finish()));
}

/** The hosts of `next` that are new or differ from `current`, and the hosts of `current` gone from `next`. */
export function diffHosts(current: ReadonlyMap<string, HostHealth>, next: ReadonlyMap<string, HostHealth>): { upserted: HostHealth[]; removed: string[] } {
  const upserted: HostHealth[] = [];
  const removed: string[] = [];
  for (const [host, health] of next) {
    const before = current.get(host);
    if (!before || !sameHostHealth(before, health)) upserted.push(health);
  }
  for (const host of current.keys()) if (!next.has(host)) removed.push(host);
  return { upserted: upserted.sort(byHost), removed: removed.sort() };
}

export function byHost(a: HostHealth, b: HostHealth): number {
  return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
}
