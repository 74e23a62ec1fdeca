import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { registerCleanup, unregisterCleanup } from './cleanup-registry';

export interface ProcessSpec {
  /** For logs and errors: `edge/named`, `eu/witness`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Runs inside this network namespace (`ip netns exec`); on the host when undefined. */
  readonly namespace?: string;
  /** Everything the process writes (stdout and stderr) is appended here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Start resolves once the output matches this. */
  readonly ready?: RegExp;
  readonly readyTimeoutMs?: number;
}

/** Output kept in memory per process; the log file has all of it. */
const MEMORY_LIMIT = 1024 * 1024;

/**
 * A program the harness started, maybe inside a namespace, with its output captured to a log
 * file and kept in memory (the newest megabyte) for assertions. Its stdin stays open as a
 * lifeline: the harness's own helper programs exit when it closes, so they never outlive a
 * test process that died.
 */
export class ManagedProcess {
  readonly exited: Promise<number | null>;
  private text = '';
  private readonly waiters = new Set<() => void>();
  private exitCode: number | null | undefined;
  private readonly log: WriteStream;

  private constructor(
    readonly spec: ProcessSpec,
    private readonly child: ChildProcess,
  ) {
    // Opened synchronously, so the log file exists as soon as the process does.
    this.log = createWriteStream(spec.logFile, { fd: openSync(spec.logFile, 'a') });
    const take = (chunk: Buffer) => {
      this.log.write(chunk);
      this.text += chunk.toString('utf8');
      if (this.text.length > MEMORY_LIMIT) this.text = this.text.slice(-MEMORY_LIMIT);
      for (const wake of [...this.waiters]) wake();
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.stdin?.on('error', () => undefined);
    child.once('close', () => this.log.end());
    // Killed on exit or on a signal, whether or not the test got to stop it.
    const cleanup = { cleanupSync: () => this.killSync() };
    registerCleanup(cleanup);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        unregisterCleanup(cleanup);
        this.exitCode = code ?? (signal ? null : code);
        for (const wake of [...this.waiters]) wake();
        resolve(this.exitCode);
      });
      child.once('error', (err) => {
        unregisterCleanup(cleanup);
        take(Buffer.from(`\n[harness] could not start ${spec.command}: ${err.message}\n`));
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  static async start(spec: ProcessSpec): Promise<ManagedProcess> {
    const [command, args] = spec.namespace ? ['ip', ['netns', 'exec', spec.namespace, spec.command, ...spec.args]] : [spec.command, [...spec.args]];
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: spec.env ?? process.env,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
    });
    const managed = new ManagedProcess(spec, child);
    if (spec.ready) {
      try {
        await managed.waitFor(spec.ready, spec.readyTimeoutMs ?? 15_000);
      } catch (err) {
        managed.killSync();
        throw err;
      }
    }
    return managed;
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Everything written so far (the newest megabyte). */
  output(): string {
    return this.text;
  }

  /** Resolves with the first match of `pattern` in the output, waiting for it if needed. */
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.text);
        if (match) return finish(undefined, match);
        if (this.exitCode !== undefined) finish(new Error(`${this.spec.name} exited (${this.exitCode}) before printing ${pattern}:\n${this.tail()}`));
      };
      const timer = setTimeout(() => finish(new Error(`${this.spec.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
      const finish = (err: Error | undefined, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(match as RegExpMatchArray);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The last lines of output, for error messages. */
  tail(lines = 30): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }

  /** Signals the process and waits for it; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** For exit handlers: SIGKILL now, without waiting. */
  killSync(): void {
    if (this.exitCode === undefined) this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}
