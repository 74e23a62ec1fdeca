// Starting the built apps for the bad-input benchmark, and reading their memory and metrics.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts apps/<app>/dist/main.js with `config` (JSON) and collects its JSON log records. */
export function startApp(root, dir, app, config) {
  const configPath = join(dir, `${app}-${process.hrtime.bigint()}.json`);
  writeFileSync(configPath, JSON.stringify({ grpc: { host: '127.0.0.1', port: 0 }, metrics: { host: '127.0.0.1', port: 0 }, ...config }));
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js'), '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const logs = [];
  let text = '';
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const started = (async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const record = logs.find((r) => r.msg === 'service started');
      if (record) return record;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${app} did not start:\n${text.slice(-3000)}`);
  })();
  return {
    app,
    child,
    logs,
    text: () => text,
    exited,
    started,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs an app until it exits (for configs it must reject): exit code and stderr. */
export function runToExit(root, dir, app, configText) {
  const configPath = join(dir, `${app}-bad-${process.hrtime.bigint()}.yaml`);
  writeFileSync(configPath, configText);
  const r = spawnSync(process.execPath, [join(root, 'apps', app, 'dist', 'main.js'), '--config', configPath], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, stderr: r.stderr ?? '' };
}

/** Resident memory of a process plus its children (dns workers), in bytes, from /proc. */
export function rssBytes(pid) {
  const own = (p) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const kids = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=']).stdout?.toString().split('\n').map((s) => s.trim()).filter(Boolean) ?? [];
  return own(pid) + kids.reduce((sum, k) => sum + own(k), 0);
}

/** The sum of every sample of `name` whose labels contain `labelText` (all samples when empty). */
export async function metricSum(metricsPort, name, labelText = '') {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labelText))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

export async function waitReady(metricsPort, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}
