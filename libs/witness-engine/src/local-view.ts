import type { Observation } from '@meridian/witness-quorum';

/** This region's own latest observation of each region: what `Observe` answers peers. */
export class LocalView {
  private readonly latest = new Map<string, Observation>();

  update(observations: readonly Observation[]): void {
    for (const o of observations) this.latest.set(o.region, o);
  }

  /** The latest observations of `regions` (all known regions when empty); regions never observed are left out. */
  observations(regions: readonly string[]): Observation[] {
    const wanted = regions.length > 0 ? regions : [...this.latest.keys()];
    return wanted.flatMap((r) => {
      const o = this.latest.get(r);
      return o ? [o] : [];
    });
  }
}
