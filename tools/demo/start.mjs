#!/usr/bin/env node
// `npm start`: builds the apps, then runs region eu's services as separate processes on
// loopback, from the configs in tools/demo/config/. Ctrl-C stops everything; so does a
// crash of any service (after printing its last log lines).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const apps = ['prober', 'peer-sync', 'witness', 'records', 'dns'];
const regions = ['eu'];
const logDir = join(root, 'tmp', 'demo', 'logs');

function step(message) {
  process.stdout.write(`\u25b8 ${message}\n`);
}

step('building the services (nx run-many -t build)…');
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, '--output-style=static'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});
if (build.status !== 0) {
  process.stderr.write('build failed: run `npx nx run-many -t build` to see why\n');
  process.exit(build.status ?? 1);
}

mkdirSync(logDir, { recursive: true });
const children = [];
let stopping = false;

function portsOf(configPath) {
  const text = readFileSync(configPath, 'utf8');
  const grpc = /grpc:\s*\n(?:\s+\w+:.*\n)*?\s+port:\s*(\d+)/.exec(text)?.[1];
  const metrics = /metrics:\s*\n(?:\s+\w+:.*\n)*?\s+port:\s*(\d+)/.exec(text)?.[1];
  return { grpc, metrics };
}

for (const region of regions) {
  for (const app of apps) {
    const config = join(root, 'tools', 'demo', 'config', region, `${app}.yaml`);
    const logPath = join(logDir, `${region}-${app}.log`);
    const log = createWriteStream(logPath);
    const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js'), '--config', config], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry = { region, app, child, logPath, tail: [], started: false, ports: portsOf(config) };
    const onData = (chunk) => {
      log.write(chunk);
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        entry.tail.push(line);
        if (entry.tail.length > 20) entry.tail.shift();
        if (!entry.started && line.includes('"msg":"service started"')) {
          entry.started = true;
          step(`${region} ${app} started (gRPC ${entry.ports.grpc}, metrics ${entry.ports.metrics})`);
          if (children.every((c) => c.started)) banner();
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      entry.exited = true;
      log.end();
      if (stopping) return;
      process.stderr.write(`\n${region} ${app} exited (${signal ?? `code ${code}`}); its last lines (${logPath}):\n`);
      for (const line of entry.tail) process.stderr.write(`  ${line}\n`);
      stop(1);
    });
    children.push(entry);
  }
}

function banner() {
  const lines = [
    '',
    'Meridian is running: region eu, loopback only.',
    '',
    '  service     gRPC              metrics',
    ...children.map((c) => `  ${c.app.padEnd(10)}  127.0.0.1:${c.ports.grpc}    http://127.0.0.1:${c.ports.metrics}/metrics`),
    '',
    'Try:',
    '  grpcurl -plaintext 127.0.0.1:7104 list',
    '  grpcurl -plaintext 127.0.0.1:7104 grpc.health.v1.Health/Check',
    '  curl -s http://127.0.0.1:9104/readyz',
    `Logs: ${logDir}`,
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  step('stopping…');
  for (const c of children) if (!c.exited) c.child.kill('SIGTERM');
  // Anything still alive after the services' own grace period is killed.
  const deadline = setTimeout(() => {
    for (const c of children) if (!c.exited) c.child.kill('SIGKILL');
  }, 8000);
  const waitAll = setInterval(() => {
    if (children.every((c) => c.exited)) {
      clearInterval(waitAll);
      clearTimeout(deadline);
      step('stopped');
      process.exit(code);
    }
  }, 50);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
