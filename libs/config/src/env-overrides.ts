import { parse } from 'yaml';

/** The variable that names the config file, besides `--config`. Never an override. */
export const CONFIG_PATH_VARIABLE = 'MERIDIAN_CONFIG';

export interface EnvOverrideResult {
  config: Record<string, unknown>;
  /** Dotted path → the variable that set it, so errors can name it. */
  origins: Map<string, string>;
}

/**
 * Applies `MERIDIAN_GRPC__PORT=7101`-style variables on top of a parsed config: `__`
 * separates levels and each level is SCREAMING_SNAKE for a camelCase key. Values are read as
 * YAML scalars or flow collections, so numbers, booleans and `[a, b]` lists keep their type.
 */
export function applyEnvOverrides(
  base: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  prefix = 'MERIDIAN_',
): EnvOverrideResult {
  const config = structuredClone(base);
  const origins = new Map<string, string>();
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(prefix) || name === CONFIG_PATH_VARIABLE || raw === undefined) continue;
    const keys = name.slice(prefix.length).split('__').filter(Boolean).map(toCamelCase);
    if (keys.length === 0) continue;
    setPath(config, keys, parseValue(raw));
    origins.set(keys.join('.'), `environment variable ${name}`);
  }
  return { config, origins };
}

function toCamelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function parseValue(raw: string): unknown {
  try {
    return parse(raw) ?? raw;
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
