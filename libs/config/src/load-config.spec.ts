import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { applyEnvOverrides } from './env-overrides';
import { configPathFrom, loadConfig } from './load-config';
import { serviceConfigSchema } from './service-config';

const schema = serviceConfigSchema({ grpcPort: 7101, metricsPort: 9101 });
const dir = mkdtempSync(join(tmpdir(), 'meridian-config-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults when there is no file', () => {
    const config = loadConfig(schema, { argv: [], env: {} });
    expect(config).toEqual({
      region: 'local',
      grpc: { host: '0.0.0.0', port: 7101 },
      metrics: { host: '0.0.0.0', port: 9101 },
      log: { level: 'info' },
      shutdown: { graceSeconds: 10 },
    });
  });

  it('accepts a health port apart from the other listeners', () => {
    const path = file('health.yaml', 'grpc:\n  port: 7201\n  healthPort: 7190\n');
    expect(loadConfig(schema, { argv: ['--config', path], env: {} }).grpc).toEqual({ host: '0.0.0.0', port: 7201, healthPort: 7190 });
  });

  it('reads the file named by --config and lets the environment override it', () => {
    const path = file('ok.yaml', 'region: eu\ngrpc:\n  port: 7201\nlog:\n  level: debug\n');
    const config = loadConfig(schema, { argv: ['--config', path], env: { MERIDIAN_GRPC__PORT: '7301' } });
    expect(config.region).toBe('eu');
    expect(config.grpc.port).toBe(7301);
    expect(config.log.level).toBe('debug');
  });

  it.each([
    ['a port out of range', 'grpc:\n  port: 70000\n', 'grpc.port', 70000, /from 0 to 65535/],
    ['a level that does not exist', 'log:\n  level: loud\n', 'log.level', 'loud', /"debug"\|"info"\|"warn"\|"error"/],
    ['a misspelt field', 'grpc:\n  prot: 1\n', 'grpc.prot', 1, /unknown field/],
    ['an upper-case region', 'region: EU\n', 'region', 'EU', /DNS label/],
    ['mTLS without a CA', 'grpc:\n  tls: {certFile: a, keyFile: b, requireClientCert: true}\n', 'grpc.tls.caFile', undefined, /requireClientCert/],
    ['a health port equal to the gRPC port', 'grpc:\n  port: 7201\n  healthPort: 7201\n', 'grpc.healthPort', 7201, /must differ from grpc\.port .*pick another port/],
    ['a health port equal to the metrics port', 'grpc:\n  healthPort: 9101\n', 'grpc.healthPort', 9101, /must differ from metrics\.port .*pick another port/],
    ['a health port out of range', 'grpc:\n  healthPort: -1\n', 'grpc.healthPort', -1, /from 0 to 65535/],
  ])('rejects %s, naming the field, the value and what is allowed', (_name, yaml, path, value, message) => {
    const configPath = file(`bad-${path}.yaml`, yaml);
    const err = problemsOf(() => loadConfig(schema, { argv: [`--config=${configPath}`], env: {} }));
    expect(err.problems).toEqual([expect.objectContaining({ path, value, message: expect.stringMatching(message) })]);
    expect(err.message).toContain(path);
    expect(err.message).toContain(configPath);
  });

  it('lists every problem at once and names the environment variable behind a value', () => {
    const path = file('two.yaml', 'grpc:\n  port: -1\n');
    const err = problemsOf(() => loadConfig(schema, { argv: ['--config', path], env: { MERIDIAN_METRICS__PORT: 'http' } }));
    expect(err.problems.map((p) => p.path).sort()).toEqual(['grpc.port', 'metrics.port']);
    expect(err.message).toContain('environment variable MERIDIAN_METRICS__PORT');
  });

  it('reports a missing file and a YAML syntax error', () => {
    expect(problemsOf(() => loadConfig(schema, { argv: ['--config', join(dir, 'nope.yaml')], env: {} })).message).toMatch(
      /does not exist/,
    );
    const broken = file('broken.yaml', 'grpc: [1, 2\n');
    expect(problemsOf(() => loadConfig(schema, { argv: ['--config', broken], env: {} })).message).toMatch(/YAML syntax/);
    const list = file('list.yaml', '- a\n- b\n');
    expect(problemsOf(() => loadConfig(schema, { argv: ['--config', list], env: {} })).message).toMatch(/mapping/);
  });
});

describe('configPathFrom', () => {
  it.each<[string[], Record<string, string>, string | undefined]>([
    [['--config', 'a.yaml'], {}, 'a.yaml'],
    [['--config=b.yaml'], {}, 'b.yaml'],
    [[], { MERIDIAN_CONFIG: 'c.yaml' }, 'c.yaml'],
    [[], {}, undefined],
  ])('%j with env %j gives %s', (argv, env, expected) => {
    expect(configPathFrom(argv, env)).toBe(expected);
  });

  it('rejects --config without a path', () => {
    expect(() => configPathFrom(['--config'], {})).toThrow(/needs a file path/);
  });
});

describe('applyEnvOverrides', () => {
  it('maps SCREAMING_SNAKE levels to camelCase keys and keeps YAML types', () => {
    const { config, origins } = applyEnvOverrides(
      { grpc: { port: 1 } },
      { MERIDIAN_GRPC__PORT: '2', MERIDIAN_SHUTDOWN__GRACE_SECONDS: '3', MERIDIAN_PEERS: '[a, b]', MERIDIAN_CONFIG: 'x', HOME: '/root' },
    );
    expect(config).toEqual({ grpc: { port: 2 }, shutdown: { graceSeconds: 3 }, peers: ['a', 'b'] });
    expect(origins.get('shutdown.graceSeconds')).toBe('environment variable MERIDIAN_SHUTDOWN__GRACE_SECONDS');
  });
});
