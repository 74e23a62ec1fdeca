import { runCli } from './run-cli';

// Wiring only: argv, stdout/stderr and Ctrl-C in; the exit code out.
const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interrupted,
}).then((code) => {
  process.exitCode = code;
  // Pending stream timers or channels must not keep the process alive after the answer.
  setImmediate(() => process.exit(code));
});
