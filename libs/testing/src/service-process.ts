import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { appEntry } from './workspace';

export interface ServiceProcess {
  child: ChildProcess;
  grpcPort: number;
  metricsPort: number;
  grpcAddress: string;
  /** Every JSON log record written so far, in order. */
  logs: Record<string, unknown>[];
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartServiceOptions {
  /** The configuration, written to a temporary YAML file passed with --config. */
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts a built app as a real process on loopback (ports 0 unless the config says
 * otherwise) and resolves once it logs "service started", with the ports it bound.
 */
export async function startService(app: string, options: StartServiceOptions = {}): Promise<ServiceProcess> {
  const dir = mkdtempSync(join(tmpdir(), `meridian-${app}-`));
  const configPath = join(dir, 'config.yaml');
  const config = {
    grpc: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    ...options.config,
  };
  writeFileSync(configPath, stringify(config));
  const child = spawn(process.execPath, [appEntry(app), '--config', configPath], {
    env: { PATH: process.env['PATH'], ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderrText = '';
  let pending = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrText += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log record (for example a configuration error message); kept in stderr().
      }
    }
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`${app} did not start within ${options.timeoutMs ?? 15000} ms:\n${stderrText}`)), options.timeoutMs ?? 15000);
    const poll = setInterval(() => {
      const record = logs.find((r) => r['msg'] === 'service started');
      if (record) {
        clearInterval(poll);
        clearTimeout(timeout);
        resolve(record);
      }
    }, 10);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timeout);
      reject(new Error(`${app} exited with code ${code} before starting:\n${stderrText}`));
    });
  });
  const grpcPort = started['grpcPort'] as number;
  return {
    child,
    grpcPort,
    metricsPort: started['metricsPort'] as number,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    logs,
    stderr: () => stderrText,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs an app to completion (for configurations it must reject) and returns code and stderr. */
export async function runServiceToExit(app: string, configYaml: string, timeoutMs = 15000): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), `meridian-${app}-`));
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, configYaml);
  const child = spawn(process.execPath, [appEntry(app), '--config', configPath], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stderr };
}
