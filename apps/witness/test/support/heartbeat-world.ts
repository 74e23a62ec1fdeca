import { AuthoritativeResponder, LoopbackUnbound } from '@meridian/netns-harness';

export const ZONE = 'gslb.example.com';
export const heartbeatName = (geotag: string) => `${geotag}._witness.${ZONE}`;

/**
 * Witness resolvers on loopback: real Unbound, each sending every region's heartbeat name to
 * a tiny authoritative responder of its own. Each (resolver, region) path has its own
 * responder, so one path can be silenced (a cut link) while the others still answer, and
 * silencing all of a region's responders is the region going dark.
 */
export class HeartbeatWorld {
  private constructor(
    readonly resolvers: LoopbackUnbound[],
    /** responders[geotag][i]: region geotag as resolver i reaches it. */
    readonly responders: Record<string, AuthoritativeResponder[]>,
    /** Each region's own nameserver, as a peer witness asks it directly. */
    readonly nameservers: Record<string, AuthoritativeResponder>,
  ) {}

  static async start(regions: readonly string[], resolverCount: number): Promise<HeartbeatWorld> {
    const responders: Record<string, AuthoritativeResponder[]> = {};
    const nameservers: Record<string, AuthoritativeResponder> = {};
    const zone = (geotag: string) => ({
      origin: heartbeatName(geotag),
      nameservers: [{ name: `gslb-ns-${geotag}-gslb.example.com` }],
      heartbeats: [{ name: heartbeatName(geotag), region: geotag, intervalMs: 250 }],
    });
    for (const geotag of regions) {
      responders[geotag] = await Promise.all(Array.from({ length: resolverCount }, () => AuthoritativeResponder.start({ zone: zone(geotag) })));
      nameservers[geotag] = await AuthoritativeResponder.start({ zone: zone(geotag) });
    }
    const resolvers = await Promise.all(
      Array.from({ length: resolverCount }, (_, i) =>
        LoopbackUnbound.start({
          name: `unbound-${i + 1}`,
          stubZones: regions.map((g) => ({ name: heartbeatName(g), servers: [`127.0.0.1@${(responders[g] as AuthoritativeResponder[])[i]?.port}`] })),
        }),
      ),
    );
    return new HeartbeatWorld(resolvers, responders, nameservers);
  }

  /** Silences (or restores) region `geotag` as seen by the given resolvers (all by default). */
  silence(geotag: string, silent: boolean, resolverIndexes?: readonly number[]): void {
    (this.responders[geotag] ?? []).forEach((r, i) => {
      if (!resolverIndexes || resolverIndexes.includes(i)) r.setSilent(silent);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.resolvers.map((r) => r.stop()));
    await Promise.all([...Object.values(this.responders).flat(), ...Object.values(this.nameservers)].map((r) => r.stop()));
  }
}
