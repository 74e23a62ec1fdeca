import { execFile, spawnSync } from 'node:child_process';

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that exited non-zero where success was required. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`\`${command}\` exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
  }
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** Reject with CommandError on a non-zero exit (default true). */
  readonly check?: boolean;
}

/** Runs a program to completion (no shell), with its output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      const result = { code, stdout: String(stdout), stderr: String(stderr || (err && typeof err.code !== 'number' ? err.message : '')) };
      if (code !== 0 && (options.check ?? true)) reject(new CommandError([command, ...args].join(' '), result));
      else resolve(result);
    });
  });
}

/** The same, synchronously: for exit handlers, where nothing asynchronous runs any more. */
export function runSync(command: string, args: readonly string[], timeoutMs = 10_000): CommandResult {
  const r = spawnSync(command, [...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? r.error.message : '') };
}
