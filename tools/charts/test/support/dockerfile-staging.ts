import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STAGE_SCRIPT } from './dockerfile-checks';
import { runtimeImports } from './source-imports';
import { readJson, ROOT } from './workspace';

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  resolved?: string;
}

/** Runs tools/docker/stage-app.mjs as the Dockerfile does (from the root, after the build). */
export function stageApp(app: string, outDir: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [STAGE_SCRIPT, app, outDir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

/** Every file below a folder, relative to it, sorted (symlinks listed, not followed). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** The folders of a tree that hold a workspace package.json (apps/<x>, libs/<x>). */
export function stagedWorkspaces(tree: string): string[] {
  return ['apps', 'libs'].flatMap((top) => (existsSync(join(tree, top)) ? readdirSync(join(tree, top)).map((name) => `${top}/${name}`) : [])).sort();
}

/** The package folders under a staged node_modules, as package-lock.json keys (nested ones included). */
export function stagedModules(tree: string, at = 'node_modules'): string[] {
  const out: string[] = [];
  if (!existsSync(join(tree, at))) return out;
  for (const name of readdirSync(join(tree, at))) {
    const names = name.startsWith('@') ? readdirSync(join(tree, at, name)).map((n) => `${name}/${n}`) : [name];
    for (const pkg of names) {
      const location = `${at}/${pkg}`;
      out.push(location);
      if (!lstatSync(join(tree, location)).isSymbolicLink()) out.push(...stagedModules(tree, `${location}/node_modules`));
    }
  }
  return out.sort();
}

/** Staged node_modules entries that are wrong: unknown to the lock file, or there only for development. */
export function devOrUnknownModules(tree: string): string[] {
  const lock = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
  return stagedModules(tree).flatMap((location) => {
    const entry = lock.packages[location];
    if (!entry) return [`${location} is not in package-lock.json`];
    return entry.dev ? [`${location} is a devDependency (package-lock.json marks it dev)`] : [];
  });
}

/** node_modules/@meridian/* of a staged tree: name → where the link resolves, relative to the tree. */
export function workspaceLinks(tree: string): Record<string, string> {
  const scope = join(tree, 'node_modules', '@meridian');
  if (!existsSync(scope)) return {};
  return Object.fromEntries(
    readdirSync(scope).map((name) => {
      const path = join(scope, name);
      return [name, lstatSync(path).isSymbolicLink() ? relative(realpathSync(tree), realpathSync(path)) : `${name} is not a link`];
    }),
  );
}

/**
 * Loads, from inside the staged tree, every package each staged workspace's sources import at run
 * time (static and dynamic imports alike, the way its dist does), so a package the staging left out
 * fails here and not in production the first time a code path needs it.
 */
export function importEverything(tree: string, workspaces: string[]): SpawnSyncReturns<string> {
  const probes = workspaces.map((dir) => {
    const names = [...runtimeImports(`${dir}/src`)].sort();
    const file = join(tree, dir, 'dist', '__staging-probe.mjs');
    writeFileSync(file, names.map((n) => `await import(${JSON.stringify(n)});\n`).join(''));
    return file;
  });
  const main = join(tree, '__staging-probe-all.mjs');
  writeFileSync(main, `${probes.map((p) => `await import(${JSON.stringify(`./${relative(tree, p)}`)});`).join('\n')}\nprocess.stdout.write('imported\\n');\nprocess.exit(0);\n`);
  return spawnSync(process.execPath, [main], { cwd: tree, encoding: 'utf8', timeout: 120_000, env: { PATH: process.env['PATH'] ?? '' } });
}

/** Runs the staged app's entrypoint with a config file that does not exist; it loads every static import first. */
export function runWithoutConfig(tree: string, app: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(tree, 'apps', app, 'dist', 'main.js'), '--config', join(tree, 'no-such-config.yaml')], {
    cwd: tree,
    encoding: 'utf8',
    timeout: 60_000,
    // No MERIDIAN_* variables: the config comes from the (missing) file only.
    env: { PATH: process.env['PATH'] ?? '' },
  });
}
