import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerfileProblems, undeclaredRuntimeImports, defaultPorts, STAGE_SCRIPT } from './support/dockerfile-checks';
import { devOrUnknownModules, filesUnder, importEverything, runWithoutConfig, stageApp, stagedWorkspaces, workspaceLinks } from './support/dockerfile-staging';
import { DockerIgnore } from './support/dockerignore';
import { last, parseDockerfile } from './support/dockerfile';
import { runtimeImports } from './support/source-imports';
import { ROOT, SERVICES, runtimeWorkspaceClosure } from './support/workspace';

/**
 * No container engine runs on these machines, so each apps/<app>/Dockerfile is checked against
 * the workspace instead: what it copies exists and is sent, the build stage builds the app and
 * stages it with tools/docker/stage-app.mjs, the runtime stage copies only that staged tree and
 * runs as UID 10001. stage-app.mjs itself is run for every app against the built workspace (the
 * test target depends on the apps' builds) and the staged tree is run with Node.
 */
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const dockerfileOf = (app: string) => readFileSync(join(ROOT, 'apps', app, 'Dockerfile'), 'utf8');

describe.each(SERVICES)('apps/%s/Dockerfile', (app) => {
  it('is multi-stage, builds and stages the app, runs only the staged tree as UID 10001', () => {
    expect(dockerfileProblems(app, dockerfileOf(app), dockerignore)).toEqual([]);
  });

  it('exposes the ports the app listens on by default', () => {
    const final = parseDockerfile(dockerfileOf(app)).stages.at(-1);
    const exposed = (final?.instructions ?? []).filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed.sort()).toEqual(defaultPorts(app).sort());
  });

  it('carries the OCI labels', () => {
    const final = parseDockerfile(dockerfileOf(app)).stages.at(-1);
    const labels = (final?.instructions ?? []).filter((i) => i.keyword === 'LABEL').map((i) => i.args).join(' ');
    for (const key of ['title', 'description', 'source', 'licenses']) expect(labels).toContain(`org.opencontainers.image.${key}=`);
    expect(labels).toContain(`org.opencontainers.image.title="meridian-${app}"`);
  });

  it('imports at run time only packages its package.json files declare (else the image would miss them)', () => {
    expect(undeclaredRuntimeImports(app)).toEqual([]);
  });
});

describe('the Dockerfile check itself', () => {
  const good = dockerfileOf('records');
  // Each mutation breaks one rule; the check must name it.
  it.each([
    ['root user', good.replace('USER 10001:10001', 'USER root'), /runtime USER is "root"/],
    ['named user', good.replace('USER 10001:10001', 'USER node'), /runtime USER is "node"/],
    ['no user', good.replace(/^USER .*$/m, ''), /sets no USER/],
    ['single stage', good.replace(/^FROM \$\{NODE_IMAGE\} AS build[\s\S]*?(?=^FROM \$\{RUNTIME_IMAGE\})/m, ''), /not multi-stage/],
    ['a build stage that is not Node 20', good.replace('ARG NODE_IMAGE=node:20-bookworm\n', 'ARG NODE_IMAGE=node:18-bookworm\n'), /build stage's image is node:18-bookworm, not node:20/],
    ['no npm ci', good.replace(/^RUN .*npm ci .*$/m, 'RUN npm install --no-audit'), /does not run `npm ci`/],
    ['the build node_modules in the runtime', good.replace('COPY --from=build /out/ ./', 'COPY --from=build /out/ ./\nCOPY --from=build /src/node_modules ./node_modules'), /copies \/src\/node_modules from stage build .*must copy only the staged tree \/out/],
    ['a context file in the runtime', good.replace('COPY --from=build /out/ ./', 'COPY --from=build /out/ ./\nCOPY package-lock.json ./'), /copies package-lock.json from the context .*must copy only the staged tree/],
    ['the unstaged build tree in the runtime', good.replace('COPY --from=build /out/ ./', 'COPY --from=build /src/ ./'), /copies \/src from stage build .*must copy only the staged tree \/out/],
    ['the staged tree in the wrong place', good.replace('COPY --from=build /out/ ./', 'COPY --from=build /out/ ./srv/'), /to \/app\/srv, not to its WORKDIR \/app/],
    ['nothing from the build stage', good.replace(/^COPY --from=build .*$/m, ''), /copies nothing from the build stage/],
    ['no staging', good.replace(/^RUN node tools\/docker\/stage-app\.mjs .*$/m, ''), /runs tools\/docker\/stage-app.mjs 0 times/],
    ['staging another app', good.replace('stage-app.mjs records /out', 'stage-app.mjs dns /out'), /stages dns, not records/],
    ['staging before the build', good.replace(/^(RUN npx nx run records:build.*)\n(RUN node tools\/docker\/stage-app\.mjs.*)$/m, '$2\n$1'), /stages records before the build/],
    ['staging into another folder than the runtime copies', good.replace('stage-app.mjs records /out', 'stage-app.mjs records /staged'), /copies \/out from stage build .*staged tree \/staged/],
    ['the staging script not sent', good.replace('COPY tools/docker ./tools/docker\n', ''), /does not COPY tools\/docker\/stage-app.mjs to \/src\/tools\/docker\/stage-app.mjs/],
    ['the libs copied to another place', good.replace('COPY libs ./libs', 'COPY libs ./lib'), /does not COPY libs\/config\/package.json to \/src\/libs\/config\/package.json/],
    ['a missing context file', good.replace('COPY libs ./libs', 'COPY libraries ./libs'), /COPY source libraries does not exist/],
    ['a wrong entrypoint', good.replace('apps/records/dist/main.js"]', 'apps/records/main.js"]'), /ENTRYPOINT is/],
    ['a shell-form entrypoint', good.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node apps/records/dist/main.js'), /exec \(JSON\) form/],
    ['a fat runtime image', good.replace('RUNTIME_IMAGE=node:20-bookworm-slim', 'RUNTIME_IMAGE=node:20-bookworm'), /not a slim or distroless/],
    ['a command in the runtime stage', good.replace('USER 10001:10001', 'RUN mkdir /data\nUSER 10001:10001'), /runtime stage runs a command/],
    ['another config path', good.replace('"/etc/meridian/config.yaml"', '"/config.yaml"'), /CMD is/],
    ['no app build', good.replace('npx nx run records:build', 'npx nx run dns:build'), /no stage runs `npx nx run records:build`/],
  ])('rejects %s', (_name, text, expected) => {
    expect(text).not.toBe(good);
    expect(dockerfileProblems('records', text, dockerignore).join('\n')).toMatch(expected);
  });

  it.each([
    ['libs', /COPY source libs is excluded by .dockerignore rule "libs"/],
    ['tools/docker', /tools\/docker\/stage-app.mjs is excluded by .dockerignore rule "tools\/docker" but the build needs it/],
    ['**/*.mjs', /tools\/docker\/stage-app.mjs is excluded by .dockerignore rule "\*\*\/\*.mjs"/],
  ])('rejects a .dockerignore that keeps out %s', (rule, expected) => {
    expect(dockerfileProblems('records', good, `${dockerignore}\n${rule}\n`).join('\n')).toMatch(expected);
  });

  it('finds the last USER of the final stage', () => {
    expect(last(parseDockerfile(good).stages.at(-1) as never, 'USER')?.args).toBe('10001:10001');
  });
});

describe.each(SERVICES)('tools/docker/stage-app.mjs %s (against the built workspace)', (app) => {
  const closure = runtimeWorkspaceClosure(`apps/${app}`);
  let tree: string;
  let staged: ReturnType<typeof stageApp>;
  beforeAll(() => {
    // Under the system temp folder, away from the repository's node_modules: Node resolves only what was staged.
    tree = join(mkdtempSync(join(tmpdir(), `meridian-stage-${app}-`)), 'out');
    staged = stageApp(app, tree);
  });
  afterAll(() => rmSync(join(tree, '..'), { recursive: true, force: true }));

  it('stages and says what it staged', () => {
    expect({ status: staged.status, stderr: staged.stderr }).toEqual({ status: 0, stderr: '' });
    for (const dir of [`apps/${app}`, ...closure]) expect(staged.stdout).toContain(`  ${dir}/package.json, ${dir}/dist\n`);
  });

  it("holds the root package.json and the package.json and whole dist of exactly the app and its runtime @meridian/* closure", () => {
    expect(existsSync(join(tree, 'package.json'))).toBe(true);
    expect(stagedWorkspaces(tree)).toEqual([`apps/${app}`, ...closure].sort());
    for (const dir of [`apps/${app}`, ...closure]) {
      expect(filesUnder(join(tree, dir))).toEqual(filesUnder(join(ROOT, dir, 'dist')).map((f) => join('dist', f)).concat('package.json').sort());
    }
  });

  it('links node_modules/@meridian/<lib> to libs/<lib> for exactly that closure', () => {
    expect(workspaceLinks(tree)).toEqual(Object.fromEntries(closure.map((dir) => [dir.replace(/^libs\//, ''), dir])));
  });

  it('holds no devDependencies (nor anything package-lock.json does not know)', () => {
    expect(devOrUnknownModules(tree)).toEqual([]);
    for (const tool of ['typescript', 'jest', 'nx', 'ts-jest', 'eslint', '@nx/js']) expect(existsSync(join(tree, 'node_modules', tool))).toBe(false);
  });

  it('runs from the staged tree alone: the entrypoint loads and exits 2 on the missing config file', () => {
    const run = runWithoutConfig(tree, app);
    expect(run.stderr).not.toMatch(/Cannot find (module|package)/);
    expect(run.stderr).toContain(`${app}: invalid configuration in ${join(tree, 'no-such-config.yaml')}`);
    expect(run.status).toBe(2);
  });

  it('loads, from the staged tree, every package the app and its libs import (dynamic imports too)', () => {
    const run = importEverything(tree, [`apps/${app}`, ...closure]);
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({ status: 0, stderr: '', stdout: 'imported\n' });
  });
});

describe('tools/docker/stage-app.mjs refusals', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-stage-refusals-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['no arguments', [], 2, /usage: node tools\/docker\/stage-app.mjs <app> <outDir>/],
    ['an unknown app', ['nope', 'out-unknown'], 1, /no app nope \(apps\/nope\/package.json does not exist\)/],
  ])('%s', (_name, args, status, expected) => {
    const run = spawnSync(process.execPath, [STAGE_SCRIPT, ...args.map((a, i) => (i === 1 ? join(dir, a) : a))], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toMatch(expected);
    expect(run.status).toBe(status);
  });

  it('a folder that is not empty', () => {
    writeFileSync(join(dir, 'leftover'), 'x');
    const run = stageApp('records', dir);
    expect(run.stderr).toContain(`stage-app: ${dir} is not empty`);
    expect(run.status).toBe(1);
  });
});

describe('runtime import scan', () => {
  it('sees value imports and dynamic import(), not type-only imports', () => {
    // kube-source loads @kubernetes/client-node with a dynamic import() (it is ESM-only).
    const imports = runtimeImports('libs/kube-source/src');
    expect(imports.has('@kubernetes/client-node')).toBe(true);
    expect(imports.has('@meridian/gslb-resources')).toBe(true);
    expect([...imports].filter((i) => i.startsWith('.') || i.startsWith('node:'))).toEqual([]);
  });
});

describe('.dockerignore matching', () => {
  const ignore = new DockerIgnore('**/dist\nnode_modules\ndocs\n*.log\n!keep.log\ntools/helm/.bin\n');
  it.each([
    ['libs/config/dist', '**/dist'],
    ['libs/config/dist/index.js', '**/dist'],
    ['dist', '**/dist'],
    ['node_modules/yaml/package.json', 'node_modules'],
    ['docs/adr/x.md', 'docs'],
    ['a.log', '*.log'],
    ['tools/helm/.bin/helm', 'tools/helm/.bin'],
  ])('excludes %s (rule %s)', (path, rule) => {
    expect(ignore.excludedBy(path)).toBe(rule);
  });
  it.each(['libs/config/src/index.ts', 'keep.log', 'apps/a/b.log', 'package.json', 'tools/helm/helm.mjs'])('sends %s', (path) => {
    expect(ignore.excludedBy(path)).toBeUndefined();
  });
});
