// Stops the child processes a script started: SIGTERM to each still running, SIGKILL to any
// that has not exited after `graceMs`. Entries are `{ child }` (extra fields are ignored).
export async function stopChildren(entries, graceMs = 5000) {
  const running = ({ child }) => child.exitCode === null && child.signalCode === null;
  for (const entry of entries) if (running(entry)) entry.child.kill('SIGTERM');
  await Promise.all(
    entries.filter(running).map(
      ({ child }) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    ),
  );
}
