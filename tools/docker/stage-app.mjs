#!/usr/bin/env node
// Stages what one Meridian app needs at run time into a folder, for the runtime stage of its
// Dockerfile (`COPY --from=build /out/ ./`). Run it after `npx nx run <app>:build`:
//   node tools/docker/stage-app.mjs <app> <outDir>
// It copies the root package.json, the app's package.json and dist, the package.json and dist of
// every @meridian/* workspace package in the app's runtime closure (package.json `dependencies`,
// transitively), and the production node_modules those packages (and the root `dependencies`)
// resolve to, as package-lock.json records them: no devDependencies, nothing another app needs.
// node_modules/@meridian/<lib> become relative links to libs/<lib>, as npm makes them.
// Plain Node, no dependencies. Exit 0 when staged, 1 on a problem (named), 2 on a usage error.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readJson = (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

class StageError extends Error {}

/** The lock entry location a package name resolves to from a location, as Node walks node_modules up. */
function resolveIn(lock, from, name) {
  let at = from;
  for (;;) {
    const candidate = `${at === '' ? '' : `${at}/`}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (at === '') return undefined;
    const nested = at.lastIndexOf('/node_modules/');
    at = nested === -1 ? '' : at.slice(0, nested);
  }
}

/** Workspace folders (relative to the root) the app needs at run time, the app first. */
function workspaceClosure(lock, appDir) {
  const dirs = [appDir];
  for (let i = 0; i < dirs.length; i++) {
    const deps = Object.keys(readJson(`${dirs[i]}/package.json`).dependencies ?? {});
    for (const name of deps.filter((d) => d.startsWith('@meridian/'))) {
      const link = lock.packages[`node_modules/${name}`];
      if (!link?.link) throw new StageError(`${dirs[i]}/package.json depends on ${name}, which package-lock.json does not link to a workspace (run npm install)`);
      if (!dirs.includes(link.resolved)) dirs.push(link.resolved);
    }
  }
  return dirs;
}

/** node_modules locations (lock keys) reachable from the given workspaces and the root dependencies. */
function productionModules(lock, workspaces) {
  const wanted = new Set();
  const queue = ['', ...workspaces].map((at) => ({ at, deps: lock.packages[at] }));
  while (queue.length > 0) {
    const { at, deps: entry } = queue.shift();
    if (!entry) throw new StageError(`package-lock.json has no entry "${at}" (run npm install)`);
    const optional = new Set([...Object.keys(entry.optionalDependencies ?? {}), ...Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n)]);
    const names = [entry.dependencies, entry.optionalDependencies, entry.peerDependencies].flatMap((d) => Object.keys(d ?? {}));
    for (const name of names) {
      const location = resolveIn(lock, at, name);
      if (location === undefined || !existsSync(join(ROOT, location))) {
        if (optional.has(name)) continue;
        throw new StageError(`${at || 'package.json'} needs ${name}, which is not installed (run npm ci)`);
      }
      if (wanted.has(location)) continue;
      wanted.add(location);
      const target = lock.packages[location];
      // A workspace link: the closure already holds its package (workspaceClosure followed it).
      if (target.link) {
        if (!workspaces.includes(target.resolved)) throw new StageError(`${location} links to ${target.resolved}, outside the runtime closure`);
      } else queue.push({ at: location, deps: target });
    }
  }
  return [...wanted].sort();
}

function stage(app, outDir) {
  const appDir = `apps/${app}`;
  if (!existsSync(join(ROOT, appDir, 'package.json'))) throw new StageError(`no app ${app} (${appDir}/package.json does not exist)`);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new StageError(`${outDir} is not empty`);
  const lock = readJson('package-lock.json');
  const workspaces = workspaceClosure(lock, appDir);
  const modules = productionModules(lock, workspaces);

  mkdirSync(outDir, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(outDir, 'package.json'));
  for (const dir of workspaces) {
    const main = readJson(`${dir}/package.json`).main ?? 'index.js';
    if (!existsSync(join(ROOT, dir, main))) throw new StageError(`${dir}/${main} does not exist: run \`npx nx run ${app}:build\` first`);
    cpSync(join(ROOT, dir, 'package.json'), join(outDir, dir, 'package.json'));
    cpSync(join(ROOT, dir, 'dist'), join(outDir, dir, 'dist'), { recursive: true, verbatimSymlinks: true });
  }
  for (const location of modules) {
    const entry = lock.packages[location];
    const to = join(outDir, location);
    mkdirSync(dirname(to), { recursive: true });
    if (entry.link) symlinkSync(relative(dirname(to), join(outDir, entry.resolved)), to);
    else {
      // Nested node_modules are lock entries of their own, staged only when something needs them.
      const nested = join(ROOT, location, 'node_modules');
      cpSync(join(ROOT, location), to, { recursive: true, verbatimSymlinks: true, filter: (src) => src !== nested && !src.startsWith(nested + sep) });
    }
  }
  const links = modules.filter((m) => lock.packages[m].link);
  const lines = [
    `staged ${app} into ${outDir}:`,
    '  package.json',
    ...workspaces.map((dir) => `  ${dir}/package.json, ${dir}/dist`),
    `  node_modules: ${modules.length - links.length} production packages, ${links.length} workspace links (${links.map((l) => l.replace(/^node_modules\//, '')).join(', ')})`,
  ];
  writeFileSync(1, `${lines.join('\n')}\n`);
}

const [app, outDir, ...extra] = process.argv.slice(2);
if (!app || !outDir || extra.length > 0 || app.startsWith('-')) {
  process.stderr.write('usage: node tools/docker/stage-app.mjs <app> <outDir>\n');
  process.exit(2);
}
try {
  stage(app, outDir);
} catch (err) {
  if (!(err instanceof StageError)) throw err;
  process.stderr.write(`stage-app: ${err.message}\n`);
  process.exit(1);
}
