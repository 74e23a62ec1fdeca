/** One condition of readiness, for example "first zone snapshot applied". */
export interface ReadinessCondition {
  name: string;
  ready: boolean;
  detail: string;
}

/**
 * Readiness is the conjunction of named conditions that components set as they sync. A
 * process with no condition registered is ready.
 */
export class Readiness {
  private readonly conditions = new Map<string, ReadinessCondition>();
  private draining = false;
  private readonly listeners: ((ready: boolean) => void)[] = [];

  set(name: string, ready: boolean, detail = ''): void {
    this.update(() => this.conditions.set(name, { name, ready, detail }));
  }

  /** Marks the process as shutting down: never ready again. */
  markDraining(): void {
    this.update(() => (this.draining = true));
  }

  /** Calls `listener` each time the overall readiness flips. */
  onChange(listener: (ready: boolean) => void): void {
    this.listeners.push(listener);
  }

  private update(change: () => void): void {
    const before = this.isReady();
    change();
    const after = this.isReady();
    if (before !== after) for (const listener of this.listeners) listener(after);
  }

  isReady(): boolean {
    if (this.draining) return false;
    for (const c of this.conditions.values()) if (!c.ready) return false;
    return true;
  }

  report(): { ready: boolean; draining: boolean; conditions: ReadinessCondition[] } {
    return { ready: this.isReady(), draining: this.draining, conditions: [...this.conditions.values()] };
  }
}
