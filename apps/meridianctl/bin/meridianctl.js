#!/usr/bin/env node
// The `meridianctl` command (npx meridianctl). A committed file, so npm links it at install
// time; the CLI itself is built into dist/ (npm start builds it, or npx nx build meridianctl).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('meridianctl is not built yet: run `npm start` or `npx nx build meridianctl` first.\n');
  process.exit(1);
}
require(entry);
