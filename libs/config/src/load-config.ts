import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';
import { applyEnvOverrides, CONFIG_PATH_VARIABLE } from './env-overrides';

export interface LoadConfigOptions {
  /** Command-line arguments after the program name; `--config PATH` names the file. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** Returns the value of `--config PATH` / `--config=PATH`, else `$MERIDIAN_CONFIG`. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigError('the command line', [
          { path: '--config', origin: 'the command line', value: undefined, message: 'needs a file path: --config PATH' },
        ]);
      }
      return next;
    }
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env[CONFIG_PATH_VARIABLE] || undefined;
}

/** Reads a YAML file into a plain object; syntax errors carry their line and column. */
export function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(cause);
    throw new ConfigError(path, [{ path: '', origin: path, value: undefined, message: `cannot read: ${reason}` }], { cause });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => ({ path: '', origin: path, value: undefined, message: `YAML syntax: ${e.message}` })),
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, [
      { path: '', origin: path, value, message: 'the file must hold a YAML mapping (key: value pairs)' },
    ]);
  }
  return value as Record<string, unknown>;
}

/** Validates raw configuration with a zod schema; every problem is listed, not just the first. */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  raw: Record<string, unknown>,
  source: string,
  origins: ReadonlyMap<string, string> = new Map(),
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    const basePath = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...basePath, key].join('.');
        problems.push({
          path,
          origin: origins.get(path) ?? source,
          value: redacted(path, valueAt(raw, [...basePath, key])),
          message: 'unknown field: remove it or check its spelling',
        });
      }
      continue;
    }
    const path = basePath.join('.');
    problems.push({ path, origin: origins.get(path) ?? source, value: redacted(path, valueAt(raw, basePath)), message: issue.message });
  }
  throw new ConfigError(source, problems);
}

/**
 * The whole edge: finds the file (`--config` or `$MERIDIAN_CONFIG`; none means defaults only),
 * applies `MERIDIAN_*` environment overrides and validates. Throws ConfigError.
 */
export function loadConfig<S extends z.ZodType>(schema: S, options: LoadConfigOptions): z.output<S> {
  const path = configPathFrom(options.argv, options.env);
  const fromFile = path ? readYamlFile(path) : {};
  const { config, origins } = applyEnvOverrides(fromFile, options.env);
  return validateConfig(schema, config, path ?? 'the defaults and environment', origins);
}

/**
 * Field names whose values are secrets. Meridian reads secrets from files (keyFile,
 * secretFile), so no schema has such a field; a user who pastes one into the config anyway
 * (a misspelt or unknown field) must not see it echoed to logs by the error (issue #11).
 */
const SECRET_FIELD = /(^|\.)(secret|password|passphrase|token|apiKey|privateKey|key)$/i;

/** The value to print for `path`: redacted when the field is a secret, and secret fields inside a section redacted too. */
function redacted(path: string, value: unknown): unknown {
  if (value === undefined) return value;
  if (SECRET_FIELD.test(path)) return '<redacted>';
  if (Array.isArray(value)) return value.map((v, i) => redacted(`${path}.${i}`, v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(path ? `${path}.${k}` : k, v)]));
  }
  return value;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
