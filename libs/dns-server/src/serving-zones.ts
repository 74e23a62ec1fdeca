import type { Logger } from '@meridian/logging';
import type { ZoneDelta } from '@meridian/proto';
import { EMPTY_COMPILED_ZONES, ZoneHolder } from './compiled-zones';
import { CompileCache, compileZones } from './zone-compiler';
import type { ZoneState } from './zone-state';
import { updateCompiledZones } from './zone-update';

/**
 * Turns zone states into what the query path reads: compiles aside, then swaps the holder's
 * reference in one assignment, so a query sees the old version or the new one, never a mix.
 */
export class ServingZones {
  readonly holder = new ZoneHolder();
  private readonly cache = new CompileCache();
  private reported = '';
  /** How the last version was applied, and how long it took. */
  lastApply: { mode: 'full' | 'incremental'; ms: number } | undefined;

  constructor(private readonly logger: Logger) {}

  get version(): number {
    return this.holder.current.version;
  }

  /**
   * Serves `state` at `version`. When `delta` is what brought the previous version to this
   * one, only the names it changed are recompiled (ADR 0009); otherwise, or when the delta
   * touches the zone's structure, the whole state is compiled aside and swapped in.
   */
  serve(state: ZoneState, version: number, delta?: ZoneDelta): void {
    const started = performance.now();
    const current = this.holder.current;
    const updated = delta !== undefined && current.version === version - 1 && current !== EMPTY_COMPILED_ZONES
      ? updateCompiledZones(current, state, delta, version, this.cache)
      : undefined;
    const compiled = updated ?? compileZones(state, version, this.cache);
    this.holder.current = compiled;
    this.lastApply = { mode: updated ? 'incremental' : 'full', ms: performance.now() - started };
    this.logger.debug('zone applied', { version, mode: this.lastApply.mode, ms: Number(this.lastApply.ms.toFixed(3)), names: compiled.nameCount });
    // Report problems when they change, not on every version.
    const problems = compiled.problems.join('\n');
    if (problems !== this.reported) {
      this.reported = problems;
      if (problems) this.logger.warn('some record sets cannot be served; they answer SERVFAIL', { version, problems: compiled.problems });
    }
  }
}
