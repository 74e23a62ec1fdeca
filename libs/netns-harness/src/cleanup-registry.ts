/** Something that must be undone even when the process dies: synchronous, idempotent. */
export interface SyncCleanup {
  cleanupSync(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Process-wide by nature: exit and signal handlers belong to the process, so the networks
 * and programs alive in it are tracked here, once, and torn down on exit or on a signal (a
 * killed test run). What SIGKILL leaves behind, `sweep` removes on the next run.
 */
const live = new Set<SyncCleanup>();
let installed = false;

export function registerCleanup(item: SyncCleanup): void {
  live.add(item);
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of SIGNALS) {
    const onSignal = () => {
      cleanupAll();
      process.removeListener(signal, onSignal);
      // Behave as if we had not been there: die of the signal unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function unregisterCleanup(item: SyncCleanup): void {
  live.delete(item);
}

function cleanupAll(): void {
  for (const item of [...live]) {
    try {
      item.cleanupSync();
    } catch {
      // Best effort: the sweep at the next start removes what is left.
    }
    live.delete(item);
  }
}
