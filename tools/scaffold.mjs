#!/usr/bin/env node
// Writes the boilerplate of a workspace project (package.json, project.json, tsconfigs, jest
// config) so every project is laid out the same way. Usage:
//   node tools/scaffold.mjs lib <name> <type> <scope> [dep ...]
//   node tools/scaffold.mjs app <name> <scope> [dep ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [kind, name, ...rest] = process.argv.slice(2);
if (!['lib', 'app'].includes(kind) || !name) {
  console.error('usage: scaffold.mjs lib <name> <type> <scope> [dep ...] | app <name> <scope> [dep ...]');
  process.exit(2);
}
const [type, scope, deps] = kind === 'lib' ? [rest[0], rest[1], rest.slice(2)] : ['app', rest[0], rest.slice(1)];
const root = kind === 'lib' ? `libs/${name}` : `apps/${name}`;
const entry = kind === 'lib' ? 'index' : 'main';
const write = (file, content) => {
  const path = join(root, file);
  if (existsSync(path)) return;
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
};

mkdirSync(join(root, 'src'), { recursive: true });
write('package.json', {
  name: `@meridian/${name}`,
  version: '0.1.0',
  private: true,
  main: `./dist/${entry}.js`,
  types: `./dist/${entry}.d.ts`,
  ...(deps.length ? { dependencies: Object.fromEntries(deps.map((d) => [`@meridian/${d}`, '*'])) } : {}),
});
write('project.json', {
  name,
  $schema: '../../node_modules/nx/schemas/project-schema.json',
  sourceRoot: `${root}/src`,
  projectType: kind === 'lib' ? 'library' : 'application',
  tags: [`type:${type}`, `scope:${scope}`],
  targets: {
    build: { executor: 'nx:run-commands', options: { command: `tsc -p ${root}/tsconfig.lib.json` } },
    typecheck: { executor: 'nx:run-commands', options: { command: `tsc -p ${root}/tsconfig.spec.json --noEmit` } },
    lint: { executor: 'nx:run-commands', options: { command: `eslint ${root}` } },
    test: { executor: '@nx/jest:jest', options: { jestConfig: `${root}/jest.config.cjs` } },
  },
});
write('tsconfig.lib.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.spec.ts'],
});
write('tsconfig.spec.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: { noEmit: true, declaration: false, declarationMap: false, types: ['node', 'jest'] },
  include: ['src/**/*.ts', 'test/**/*.ts'],
});
write('jest.config.cjs', `module.exports = {\n  ...require('../../jest.preset.cjs'),\n  displayName: '${name}',\n  rootDir: __dirname,\n};\n`);
console.log(`scaffolded ${root}`);
