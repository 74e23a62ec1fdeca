// The config part of the bad-input benchmark: every invalid value of every field of every
// service's config schema (generated from the zod schemas by libs/testing's
// invalidConfigCases), validated in-process; a sample run as real processes (exit 2, field on
// stderr); and secrets given in the wrong place, which must not be echoed.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runToExit } from './processes.mjs';

const APPS = [
  ['prober', 'proberConfigSchema'],
  ['peer-sync', 'peerSyncConfigSchema'],
  ['witness', 'witnessConfigSchema'],
  ['records', 'recordsConfigSchema'],
  ['dns', 'dnsConfigSchema'],
];

export async function runConfigAbuse({ root, dir, log }) {
  const require = createRequire(join(root, 'package.json'));
  const testing = require(join(root, 'libs/testing/dist/index.js'));
  const config = require(join(root, 'libs/config/dist/index.js'));
  const rows = [];
  let total = 0;

  for (const [app, schemaName] of APPS) {
    const schema = require(join(root, 'apps', app, 'dist', 'config.js'))[schemaName];
    const cases = testing.invalidConfigCases(schema);
    let named = 0;
    const misses = [];
    for (const c of cases) {
      try {
        config.validateConfig(schema, c.document, 'config.yaml');
        misses.push(`${c.field} (${c.kind}) accepted`);
      } catch (err) {
        if (err instanceof config.ConfigError && err.problems.some((p) => p.path === c.field) && err.message.includes(c.field)) named++;
        else misses.push(`${c.field} (${c.kind}): ${String(err.message).split('\n')[1] ?? err.message}`);
      }
    }
    total += cases.length;
    const fields = new Set(cases.map((c) => c.field)).size;
    rows.push({
      area: 'Config',
      input: `${app}: ${cases.length} invalid values over ${fields} fields (wrong type, each bound and format broken, unknown field per section)`,
      result: `${named} rejected naming the field and what is allowed${misses.length ? `; NOT: ${misses.slice(0, 3).join('; ')}` : ''}`,
      ok: misses.length === 0,
    });

    // As a process: three kinds of bad value in one file, all listed, exit 2.
    const run = runToExit(root, dir, app, 'grpc:\n  port: 70000\nlog:\n  level: loud\nshutdown:\n  graceSecs: 3\n');
    const listed = ['grpc.port', 'log.level', 'shutdown.graceSecs'].filter((f) => run.stderr.includes(f));
    rows.push({
      area: 'Config',
      input: `${app} started with grpc.port 70000, log.level "loud", a misspelt shutdown.graceSecs`,
      result: `exit ${run.code}; stderr names ${listed.length} of 3 fields (${listed.join(', ')})`,
      ok: run.code === 2 && listed.length === 3,
    });
  }
  log(`config: ${total} invalid values checked in-process`);

  // A secret pasted where Meridian wants a file path is never echoed.
  const secret = 'bm90LWEtcmVhbC1zZWNyZXQtYnV0LXRyZWF0ZWQtYXMtb25l';
  const pasted = runToExit(root, dir, 'peer-sync', `edgeDns:\n  server: 127.0.0.1\n  zones: [{zone: gslb.example.com, parent: example.com}]\n  delegation:\n    addresses: [192.0.2.53]\n    tsig: {name: meridian-eu, secret: "${secret}"}\n`);
  rows.push({
    area: 'Secrets',
    input: 'peer-sync config with a TSIG secret pasted inline (edgeDns.delegation.tsig.secret) instead of secretFile',
    result: `exit ${pasted.code}; field named: ${pasted.stderr.includes('tsig.secret') ? 'yes' : 'no'}; secret printed: ${pasted.stderr.includes(secret) ? 'YES' : 'no'}`,
    ok: pasted.code === 2 && !pasted.stderr.includes(secret) && pasted.stderr.includes('tsig.secret'),
  });
  const secretFile = join(dir, 'bad-secret');
  const badSecret = 'this is not base64 but is secret!';
  writeFileSync(secretFile, badSecret);
  const fromFile = runToExit(
    root,
    dir,
    'peer-sync',
    `peering: {plaintext: true}\nedgeDns:\n  server: 127.0.0.1\n  zones: [{zone: gslb.example.com, parent: example.com}]\n  delegation:\n    addresses: [192.0.2.53]\n    tsig: {name: meridian-eu, secretFile: ${secretFile}}\n`,
  );
  rows.push({
    area: 'Secrets',
    input: 'peer-sync with a TSIG secretFile that is not base64',
    result: `exit ${fromFile.code}; "${(fromFile.stderr.split('\n').find((l) => l.includes('secretFile')) ?? fromFile.stderr.split('\n')[0] ?? '').trim().slice(0, 140)}"; secret printed: ${fromFile.stderr.includes(badSecret) ? 'YES' : 'no'}`,
    ok: fromFile.code === 2 && !fromFile.stderr.includes(badSecret),
  });
  return { rows, figures: { configCases: total } };
}
