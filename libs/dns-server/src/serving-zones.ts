import type { Logger } from '@meridian/logging';
import { ZoneHolder } from './compiled-zones';
import { CompileCache, compileZones } from './zone-compiler';
import type { ZoneState } from './zone-state';

/**
 * Turns zone states into what the query path reads: compiles aside, then swaps the holder's
 * reference in one assignment, so a query sees the old version or the new one, never a mix.
 */
export class ServingZones {
  readonly holder = new ZoneHolder();
  private readonly cache = new CompileCache();
  private reported = '';

  constructor(private readonly logger: Logger) {}

  get version(): number {
    return this.holder.current.version;
  }

  serve(state: ZoneState, version: number): void {
    const compiled = compileZones(state, version, this.cache);
    this.holder.current = compiled;
    // Report problems when they change, not on every version.
    const problems = compiled.problems.join('\n');
    if (problems !== this.reported) {
      this.reported = problems;
      if (problems) this.logger.warn('some record sets cannot be served; they answer SERVFAIL', { version, problems: compiled.problems });
    }
  }
}
