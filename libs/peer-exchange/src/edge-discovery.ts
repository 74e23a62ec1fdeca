import type { DnsClient } from '@meridian/dns-wire';
import { discoverRegions, type DelegatedZone, type DiscoveredRegion } from '@meridian/edge-dns';
import type { Logger } from '@meridian/logging';
import type { Membership } from './membership';
import type { PeerSyncMetrics } from './peer-sync-metrics';
import type { PeerKind, PeerSpec } from './peer-spec';

export interface EdgeDiscoveryOptions {
  self: string;
  zones: readonly DelegatedZone[];
  client: DnsClient;
  /** "host:port" of the edge DNS, for messages. */
  server: string;
  intervalMs: number;
  /** The peer-sync port of discovered Meridian regions. */
  peerPort: number;
  /** The DNS port of discovered k8gb regions' nameservers. */
  dnsPort: number;
  /** Discovered regions are this kind unless `kinds` says otherwise. */
  defaultKind: PeerKind;
  kinds: Readonly<Record<string, PeerKind>>;
  /** Host to dial for a Meridian region, "{region}" replaced (default: its first glue address). */
  peerHost?: string | undefined;
  membership: Membership;
  metrics: PeerSyncMetrics;
  logger: Logger;
  now?: () => Date;
}

/**
 * Finds peers at the edge DNS from the delegation k8gb's naming implies: every
 * `gslb-ns-<geotag>-…` NS record of the delegated zones is a region, and its glue says where
 * it is. A Meridian region is dialled at its glue address (or `peerHost`) on `peerPort`; a
 * k8gb region is asked for localtargets on its glue addresses. A failed read changes nothing.
 */
export class EdgeDiscovery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly now: () => Date;

  constructor(private readonly options: EdgeDiscoveryOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One read of the edge DNS; true when it succeeded. */
  async discoverOnce(): Promise<boolean> {
    const { zones, client, server, membership, metrics, logger } = this.options;
    let regions: DiscoveredRegion[];
    try {
      regions = (await Promise.all(zones.map((zone) => discoverRegions(client, server, zone)))).flat();
    } catch (err) {
      metrics.discoveries.inc({ result: 'failed' });
      logger.warn('could not read peers from the edge DNS; the membership is unchanged', { server, err });
      membership.sweep(this.now());
      return false;
    }
    metrics.discoveries.inc({ result: 'ok' });
    membership.applyDiscovery(this.toSpecs(regions), this.now());
    return true;
  }

  /** Regions found in several zones are one peer; regions without glue cannot be reached and are skipped. */
  toSpecs(regions: readonly DiscoveredRegion[]): PeerSpec[] {
    const byRegion = new Map<string, { ipv4: Set<string>; ipv6: Set<string> }>();
    for (const region of regions) {
      if (region.geotag === this.options.self) continue;
      const entry = byRegion.get(region.geotag) ?? { ipv4: new Set(), ipv6: new Set() };
      for (const a of region.ipv4) entry.ipv4.add(a);
      for (const a of region.ipv6) entry.ipv6.add(a);
      byRegion.set(region.geotag, entry);
    }
    const specs: PeerSpec[] = [];
    for (const [region, glue] of [...byRegion.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const addresses = [...[...glue.ipv4].sort(), ...[...glue.ipv6].sort()];
      if (addresses.length === 0) {
        this.options.logger.warn('region listed at the edge DNS without glue: cannot reach it', { peer: region });
        continue;
      }
      const kind = this.options.kinds[region] ?? this.options.defaultKind;
      const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
      if (kind === 'k8gb') {
        specs.push({ region, kind, nameservers: addresses.map((a) => hostPort(a, this.options.dnsPort)), source: 'edge-dns' });
      } else {
        const host = this.options.peerHost?.replace(/\{region\}/g, region) ?? (addresses[0] as string);
        specs.push({ region, kind, address: hostPort(host, this.options.peerPort), nameservers: [], source: 'edge-dns' });
      }
    }
    return specs;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.discoverOnce()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
  }
}
