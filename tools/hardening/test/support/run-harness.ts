import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * Runs one of the hardening runners (tools/hardening/<script>) as the benchmarks do, with
 * `--json`, and returns its result. Its progress lines (stderr) are echoed, so a CI log shows
 * each step; a runner that fails shows its error.
 */
export function runHarness<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'tools', 'hardening', script), ...args, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    // The runner stops every process it started on SIGTERM's way out (its exit hook).
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${signal ?? code}:\n${stderr.slice(-4000)}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) as string) as T);
      } catch (err) {
        reject(new Error(`${script} printed no JSON result: ${(err as Error).message}\n${stdout.slice(-2000)}`));
      }
    });
  });
}
