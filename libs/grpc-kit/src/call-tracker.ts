import type { CallObserver } from './observe-call';

/** Counts calls in progress so a drain can wait for them to finish. */
export class CallTracker {
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  get activeCalls(): number {
    return this.active;
  }

  readonly observer: CallObserver = () => {
    this.active += 1;
    return () => {
      this.active -= 1;
      if (this.active === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    };
  };

  /** Resolves when no call is in progress. */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
