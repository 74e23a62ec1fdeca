// Process helpers shared by the benchmarks that run the built apps: spawn an app with a JSON
// config and collect its JSON logs, wait for conditions, read memory and CPU from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Polls `predicate` until it returns something truthy (bounded by `timeoutMs`). */
export async function until(predicate, what, timeoutMs = 10_000, everyMs = 2) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Starts `node apps/<app>/dist/main.js --config <file>`; `started` resolves with the
 * "service started" log record (it carries the bound grpcPort and metricsPort).
 */
export function startApp({ root, dir, app, name = app, config, children, startTimeoutMs = 120_000, nodeArgs = [] }) {
  const configPath = join(dir, `${name}-${Date.now()}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'apps', app, 'dist', 'main.js'), '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const logs = [];
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
      // Keep the tail only: a long run must not grow the benchmark's own memory.
      if (logs.length > 2000) logs.splice(0, 1000);
    }
  });
  let exitCode;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => (children.delete(child), (exitCode = code ?? signal), resolve(exitCode))));
  const started = until(() => {
    if (exitCode !== undefined) throw new Error(`${name} exited (${exitCode}) before it started`);
    return logs.find((r) => r.msg === 'service started');
  }, `${name} to start`, startTimeoutMs, 10).catch((err) => {
    throw new Error(`${err.message}\n${logs.map((l) => JSON.stringify(l)).slice(-15).join('\n')}`);
  });
  started.catch(() => undefined);
  return { name, child, logs, exited, started, stop: () => (child.kill('SIGKILL'), exited) };
}

/** GET /readyz answers 200. */
export async function isReady(metricsPort) {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => undefined);
  return res?.status === 200;
}

/** The process and its children (dns workers), from ps. */
export function processTree(pid) {
  const kids = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=']).stdout?.toString().split('\n').map((s) => s.trim()).filter(Boolean).map(Number) ?? [];
  return [pid, ...kids];
}

/** Resident memory in bytes of a process and its children, from /proc. */
export function rssBytes(pid) {
  let sum = 0;
  for (const p of processTree(pid)) {
    try {
      sum += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

/** CPU seconds (user + system) used so far by a process and its children, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone meanwhile
    }
  }
  return ticks / CLOCK_TICKS;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
