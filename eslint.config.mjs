import nx from '@nx/eslint-plugin';

// Library types and scopes are documented in docs/adr/0002-workspace-layout-and-boundaries.md.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', 'libs/proto/src/generated/**', '.nx/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:proto'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:proto'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:proto'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:proto', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:prober', onlyDependOnLibsWithTags: ['scope:prober', 'scope:shared'] },
            { sourceTag: 'scope:peer-sync', onlyDependOnLibsWithTags: ['scope:peer-sync', 'scope:shared'] },
            { sourceTag: 'scope:witness', onlyDependOnLibsWithTags: ['scope:witness', 'scope:shared'] },
            { sourceTag: 'scope:records', onlyDependOnLibsWithTags: ['scope:records', 'scope:shared'] },
            { sourceTag: 'scope:dns', onlyDependOnLibsWithTags: ['scope:dns', 'scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
