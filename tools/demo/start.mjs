#!/usr/bin/env node
// `npm start`: builds the apps, then runs regions eu and us on loopback, each as separate
// processes (a sample app and the five services), in file mode, from the example configs in
// apps/<app>/config/example-<region>.yaml. Ctrl-C stops everything; so does a crash of any
// process (after printing its last log lines).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const apps = ['prober', 'peer-sync', 'witness', 'records', 'dns'];
const regions = [
  { name: 'eu', sampleAppPort: 18081, nameserver: '127.0.0.1:5053' },
  { name: 'us', sampleAppPort: 18082, nameserver: '127.0.0.1:5054' },
];
const logDir = join(root, 'tmp', 'demo', 'logs');

function step(message) {
  process.stdout.write(`\u25b8 ${message}\n`);
}

step('building the services and meridianctl (nx run-many -t build)…');
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, 'meridianctl', '--output-style=static'], {
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

function launch(region, name, args, configPath) {
  const logPath = join(logDir, `${region}-${name}.log`);
  const log = createWriteStream(logPath);
  // Own process group: Ctrl-C reaches only this script, which then drains each service once.
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const entry = { region, app: name, child, logPath, tail: [], started: false, ports: configPath ? portsOf(configPath) : {} };
  const onData = (chunk) => {
    log.write(chunk);
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      entry.tail.push(line);
      if (entry.tail.length > 20) entry.tail.shift();
      if (!entry.started && (line.includes('"msg":"service started"') || line.includes('"msg":"sample app listening"'))) {
        entry.started = true;
        const where = configPath ? `gRPC ${entry.ports.grpc}, metrics ${entry.ports.metrics}` : `http://127.0.0.1:${args.at(-3)}`;
        step(`${region} ${name} started (${where})`);
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
    process.stderr.write(`\n${region} ${name} exited (${signal ?? `code ${code}`}); its last lines (${logPath}):\n`);
    for (const line of entry.tail) process.stderr.write(`  ${line}\n`);
    stop(1);
  });
  children.push(entry);
}

for (const region of regions) {
  launch(region.name, 'sample-app', [join(root, 'tools', 'demo', 'sample-app.mjs'), '--region', region.name, '--port', String(region.sampleAppPort), '--host', '127.0.0.1']);
  for (const app of apps) {
    const config = join(root, 'apps', app, 'config', `example-${region.name}.yaml`);
    launch(region.name, app, [join(root, 'apps', app, 'dist', 'main.js'), '--config', config], config);
  }
}

function banner() {
  const services = children.filter((c) => c.ports.grpc);
  const lines = [
    '',
    'Meridian is running: regions eu and us, file mode, loopback only.',
    '',
    '  nameservers   eu 127.0.0.1:5053   us 127.0.0.1:5054   (UDP and TCP, zone gslb.example.com)',
    '  sample apps   eu http://127.0.0.1:18081   us http://127.0.0.1:18082',
    '',
    '  region service     gRPC              metrics',
    ...services.map((c) => `  ${c.region.padEnd(6)} ${c.app.padEnd(10)}  127.0.0.1:${c.ports.grpc}    http://127.0.0.1:${c.ports.metrics}/metrics`),
    '',
    'Try:',
    '  dig @127.0.0.1 -p 5053 failover.gslb.example.com A +short',
    '  dig @127.0.0.1 -p 5054 roundrobin.gslb.example.com A +short',
    '  dig @127.0.0.1 -p 5053 geo.gslb.example.com A +subnet=10.2.0.0/16 +short',
    '  curl -X POST http://127.0.0.1:18081/fail      # eu unhealthy: failover answers us',
    '  curl -X POST http://127.0.0.1:18081/recover   # eu healthy again',
    '  grpcurl -plaintext -d \'{"host":"failover.gslb.example.com"}\' 127.0.0.1:7104 meridian.v1.RecordsService/Explain',
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
