#!/usr/bin/env node
// `npm run bench`: runs every benchmark in tools/bench/<name>/run.mjs, one after the other
// (benchmarks compete for the same two cores), and stops at the first that fails to run.
// Each benchmark writes its own section of docs/benchmarks.md. `npm run bench -- dns` runs one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (benches.length === 0) {
  console.error(wanted.length ? `no benchmark named ${wanted.join(', ')} in tools/bench/` : 'no benchmark in tools/bench/');
  process.exit(1);
}
for (const name of benches) {
  console.log(`\n=== bench: ${name}`);
  const run = spawnSync(process.execPath, [join(here, name, 'run.mjs')], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (exit ${run.status ?? run.signal})`);
    process.exit(run.status ?? 1);
  }
}
