import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { copiesOf, execForm, last, parseDockerfile, resolvedImage, type Instruction, type Stage } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { runtimeImports } from './source-imports';
import { readJson, ROOT, runtimeWorkspaceClosure, type PackageJson } from './workspace';

export const CONFIG_PATH = '/etc/meridian/config.yaml';
export const RUNTIME_UID = '10001';
/** The script that stages an app's runtime tree (tools/docker/stage-app.mjs), relative to the root. */
export const STAGE_SCRIPT = 'tools/docker/stage-app.mjs';

/** The ports an app listens on by default: gRPC and metrics from its config schema, plus DNS for dns. */
export function defaultPorts(app: string): string[] {
  const source = readFileSync(join(ROOT, 'apps', app, 'src', 'config.ts'), 'utf8');
  const m = /serviceConfigSchema\(\{\s*grpcPort:\s*(\d+),\s*metricsPort:\s*(\d+)\s*\}\)/.exec(source);
  if (!m) throw new Error(`apps/${app}/src/config.ts: no serviceConfigSchema({ grpcPort, metricsPort }) found`);
  const ports = [`${m[1]}/tcp`, `${m[2]}/tcp`];
  if (app === 'dns') {
    const dns = /port:\s*portSchema\.default\((\d+)\)/.exec(source);
    if (!dns) throw new Error('apps/dns/src/config.ts: no default DNS port found');
    ports.push(`${dns[1]}/udp`, `${dns[1]}/tcp`);
  }
  return ports;
}

/** Where `tsc -p <tsconfig>` of a project's build target writes the file compiled from `src/<file>.ts`. */
export function builtFile(projectDir: string, srcFile: string): string {
  const project = readJson<{ targets: Record<string, { options?: { command?: string } }> }>(`${projectDir}/project.json`);
  const command = project.targets['build']?.options?.command ?? '';
  const m = /^tsc -p (\S+)$/.exec(command.trim());
  if (!m) throw new Error(`${projectDir}: the build target is not "tsc -p <tsconfig>" (it is "${command}")`);
  const tsconfigPath = m[1] as string;
  const tsconfig = readJson<{ compilerOptions?: { rootDir?: string; outDir?: string }; include?: string[] }>(tsconfigPath);
  const base = posix.dirname(tsconfigPath);
  const rootDir = posix.join(base, tsconfig.compilerOptions?.rootDir ?? '.');
  const outDir = posix.join(base, tsconfig.compilerOptions?.outDir ?? '.');
  const src = posix.join(projectDir, srcFile);
  if (!existsSync(join(ROOT, src))) throw new Error(`${src} does not exist`);
  if (!src.startsWith(`${rootDir}/`)) throw new Error(`${src} is outside rootDir ${rootDir} of ${tsconfigPath}`);
  return posix.join(outDir, src.slice(rootDir.length + 1).replace(/\.ts$/, '.js'));
}

/** Resolves a COPY destination / path against the stage's WORKDIR as Docker does. */
function inStage(workdir: string, path: string): string {
  return posix.normalize(path.startsWith('/') ? path : posix.join(workdir, path)).replace(/\/$/, '');
}

function workdirAt(stage: Stage, line: number): string {
  let dir = '/';
  for (const i of stage.instructions) if (i.keyword === 'WORKDIR' && i.line < line) dir = inStage(dir, i.args);
  return dir;
}

/** Where a COPY from the build context puts each source inside the stage. */
interface ContextTarget {
  source: string;
  target: string;
  isDir: boolean;
}

function contextTargets(stage: Stage): ContextTarget[] {
  return copiesOf(stage)
    .filter((c) => c.from === undefined)
    .flatMap((c) => {
      const dest = inStage(workdirAt(stage, c.line), c.destination);
      const intoDir = c.sources.length > 1 || c.destination.endsWith('/');
      return c.sources.map((source) => {
        const normalized = posix.normalize(source).replace(/\/$/, '');
        const isDir = existsSync(join(ROOT, normalized)) && statSync(join(ROOT, normalized)).isDirectory();
        // Docker copies a folder's contents into the destination, a file into it when it is a folder.
        return { source: normalized, target: isDir || !intoDir ? dest : posix.join(dest, posix.basename(normalized)), isDir };
      });
    });
}

/** Where the context path lands in the stage through this COPY, or undefined when the COPY does not carry it. */
function landsAt(t: ContextTarget, path: string): string | undefined {
  if (path === t.source) return t.target;
  if (t.isDir && t.source === '.') return posix.join(t.target, path);
  if (t.isDir && path.startsWith(`${t.source}/`)) return posix.join(t.target, path.slice(t.source.length + 1));
  return undefined;
}

/** Everything wrong with an app's Dockerfile; empty when it is right. */
export function dockerfileProblems(app: string, text: string, dockerignoreText: string): string[] {
  const problems: string[] = [];
  const file = parseDockerfile(text);
  const ignore = new DockerIgnore(dockerignoreText);
  const stages = file.stages;
  if (stages.length < 2) return [`not multi-stage: ${stages.length} stage(s)`];
  const final = stages[stages.length - 1] as Stage;
  const named = new Map(stages.map((s) => [s.name, s] as const));

  // The build stage: a full node:20 image that runs npm ci and the Nx build of the app.
  const build = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && new RegExp(`\\bnx run ${app}:build\\b`).test(i.args)));
  if (!build) problems.push(`no stage runs \`npx nx run ${app}:build\``);
  else {
    if (!/^node:20([.-]|$)/.test(resolvedImage(file, build))) problems.push(`the build stage's image is ${resolvedImage(file, build)}, not node:20`);
    if (!build.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))) problems.push('the build stage does not run `npm ci`');
  }

  // The runtime stage: small image, numeric non-root user, no package manager runs.
  const runtimeImage = resolvedImage(file, final);
  if (!/^node:20[.\d]*-(bookworm-slim|slim|alpine[.\d]*|bullseye-slim|trixie-slim)$|^gcr\.io\/distroless\/nodejs20/.test(runtimeImage)) {
    problems.push(`the runtime image ${runtimeImage} is not a slim or distroless Node 20 image`);
  }
  const user = last(final, 'USER')?.args;
  if (!user) problems.push('the runtime stage sets no USER (it would run as root)');
  else if (!new RegExp(`^${RUNTIME_UID}(:${RUNTIME_UID})?$`).test(user)) problems.push(`the runtime USER is "${user}", expected ${RUNTIME_UID} or ${RUNTIME_UID}:${RUNTIME_UID} (numeric, so runAsNonRoot can verify it)`);
  for (const i of final.instructions) {
    if (i.keyword === 'RUN') problems.push(`line ${i.line}: the runtime stage runs a command (${i.args}); it should only copy built files`);
    if (i.keyword === 'VOLUME') problems.push(`line ${i.line}: VOLUME in the runtime stage (the root filesystem is read-only; mounts come from the chart)`);
  }

  // The entrypoint runs the file the app's build target produces, with the chart's config path.
  const entry = execForm(last(final, 'ENTRYPOINT'));
  const main = builtFile(`apps/${app}`, 'src/main.ts');
  if (!entry) problems.push('ENTRYPOINT missing or not in exec (JSON) form');
  else if (JSON.stringify(entry) !== JSON.stringify(['node', main])) problems.push(`ENTRYPOINT is ${JSON.stringify(entry)}, expected ["node","${main}"]`);
  const cmd = execForm(last(final, 'CMD'));
  if (JSON.stringify(cmd) !== JSON.stringify(['--config', CONFIG_PATH])) problems.push(`CMD is ${JSON.stringify(cmd)}, expected ["--config","${CONFIG_PATH}"]`);

  // COPY: context sources exist and are sent; --from names an earlier stage.
  stages.forEach((stage, index) => {
    for (const copy of copiesOf(stage)) {
      if (copy.from === undefined) {
        for (const source of copy.sources) {
          if (!existsSync(join(ROOT, source))) problems.push(`line ${copy.line}: COPY source ${source} does not exist in the repository`);
          const rule = ignore.excludedBy(source);
          if (rule) problems.push(`line ${copy.line}: COPY source ${source} is excluded by .dockerignore rule "${rule}"`);
        }
      } else {
        const from = named.get(copy.from);
        if (!from || stages.indexOf(from) >= index) problems.push(`line ${copy.line}: COPY --from=${copy.from} names no earlier stage`);
      }
    }
  });

  const closure = runtimeWorkspaceClosure(`apps/${app}`);
  let stagedDir: string | undefined;
  if (build) {
    // The build stage gets, at the same relative path under its WORKDIR, every context file the build
    // and the staging need (and .dockerignore does not keep them out).
    const workdir = workdirAt(build, Number.MAX_SAFE_INTEGER);
    const needed = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', STAGE_SCRIPT];
    for (const dir of [`apps/${app}`, ...closure]) needed.push(`${dir}/package.json`, `${dir}/project.json`, `${dir}/src`);
    needed.push(`apps/${app}/src/main.ts`);
    const targets = contextTargets(build);
    for (const path of needed) {
      const rule = ignore.excludedBy(path);
      if (rule) problems.push(`${path} is excluded by .dockerignore rule "${rule}" but the build needs it`);
      if (!targets.some((t) => landsAt(t, path) === posix.join(workdir, path))) problems.push(`the build stage does not COPY ${path} to ${posix.join(workdir, path)}`);
    }

    // After the app's build, the staging script puts the runtime tree of this app into one folder.
    const buildRun = build.instructions.find((i) => i.keyword === 'RUN' && new RegExp(`\\bnx run ${app}:build\\b`).test(i.args)) as Instruction;
    const staging = build.instructions.filter((i) => i.keyword === 'RUN' && /\bstage-app\.mjs\b/.test(i.args));
    if (staging.length !== 1) problems.push(`the build stage runs tools/docker/stage-app.mjs ${staging.length} times, expected once (\`node ${STAGE_SCRIPT} ${app} <dir>\`)`);
    const run = staging[0];
    const m = run === undefined ? null : /\bnode\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(run.args);
    if (run !== undefined && !m) problems.push(`line ${run.line}: \`${run.args}\` is not \`node ${STAGE_SCRIPT} ${app} <dir>\``);
    if (run !== undefined && m) {
      const script = inStage(workdirAt(build, run.line), m[1] as string);
      if (script !== posix.join(workdir, STAGE_SCRIPT)) problems.push(`line ${run.line}: runs ${script}, not ${posix.join(workdir, STAGE_SCRIPT)}`);
      if (m[2] !== app) problems.push(`line ${run.line}: stages ${m[2]}, not ${app}`);
      if (run.line < buildRun.line) problems.push(`line ${run.line}: stages ${app} before the build (line ${buildRun.line}) has produced its dist`);
      stagedDir = inStage(workdirAt(build, run.line), m[3] as string);
    }
  }

  // The runtime stage copies the staged tree, and only it, into its WORKDIR: node_modules there holds
  // production packages only (tools/docker/stage-app.mjs and its test see to that), so anything else
  // copied in could bring devDependencies or files the staging test never saw.
  const appDir = workdirAt(final, Number.MAX_SAFE_INTEGER);
  const finalCopies = copiesOf(final);
  if (!finalCopies.some((c) => c.from !== undefined && named.get(c.from) === build)) problems.push('the runtime stage copies nothing from the build stage (node_modules, the app and its libs)');
  for (const copy of finalCopies) {
    const from = copy.from === undefined ? undefined : named.get(copy.from);
    const sources = copy.sources.map((s) => (from ? inStage(workdirAt(from, Number.MAX_SAFE_INTEGER), s) : s));
    const dest = inStage(workdirAt(final, copy.line), copy.destination);
    const what = `line ${copy.line}: the runtime stage copies ${sources.join(' ')} ${from ? `from stage ${copy.from}` : 'from the context'} to ${dest}`;
    if (from !== build || stagedDir === undefined || sources.length !== 1 || sources[0] !== stagedDir) problems.push(`${what}; it must copy only the staged tree ${stagedDir ?? '(none)'} of the build stage`);
    else if (dest !== appDir) problems.push(`${what}, not to its WORKDIR ${appDir}`);
  }

  // The app and the workspace libs it needs at run time: their package.json main is what their build writes.
  for (const dir of [`apps/${app}`, ...closure]) {
    // Its package.json main is a file its build target produces (so the copied dist holds it).
    const pkg = readJson<PackageJson>(`${dir}/package.json`);
    const main = posix.normalize(posix.join(dir, pkg.main ?? 'index.js'));
    const source = `src/${posix.relative(`${dir}/dist`, main).replace(/\.js$/, '.ts')}`;
    let built: string | undefined;
    try {
      built = builtFile(dir, source);
    } catch (err) {
      problems.push(`${dir}: ${(err as Error).message}`);
    }
    if (built !== undefined && built !== main) problems.push(`${dir}/package.json main is ${main}, but its build writes ${source} to ${built}`);
    if (!main.startsWith(`${dir}/dist/`)) problems.push(`${dir}/package.json main ${pkg.main} is not under dist/`);
  }
  return problems;
}

/** Runtime imports of the app and its libs that their package.json files do not declare as `dependencies`. */
export function undeclaredRuntimeImports(app: string): string[] {
  const root = readJson<PackageJson>('package.json');
  const problems: string[] = [];
  for (const dir of [`apps/${app}`, ...runtimeWorkspaceClosure(`apps/${app}`)]) {
    const declared = new Set([...Object.keys(readJson<PackageJson>(`${dir}/package.json`).dependencies ?? {}), ...Object.keys(root.dependencies ?? {})]);
    for (const name of runtimeImports(`${dir}/src`)) {
      if (builtinModules.includes(name)) continue;
      if (!declared.has(name)) problems.push(`${dir}/src imports ${name}, which is not in ${dir}/package.json dependencies (nor the root's): the image would not have it`);
    }
  }
  return problems;
}
