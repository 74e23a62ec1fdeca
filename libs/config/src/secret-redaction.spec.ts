import { z } from 'zod';
import { ConfigError } from './config-error';
import { validateConfig } from './load-config';

// A secret pasted into a config (where Meridian expects a file path) must not be echoed by
// the error, which ends up in logs and CI output (issue #11).
const SECRET = 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1uZXZlci1hcHBlYXI=';
const schema = z.strictObject({
  tsig: z.strictObject({ name: z.string(), secretFile: z.string().min(1) }).optional(),
  api: z.strictObject({ token: z.string().min(64, 'must be at least 64 characters') }).optional(),
});

function messageOf(raw: Record<string, unknown>): ConfigError {
  try {
    validateConfig(schema, raw, 'config.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

it.each([
  ['an unknown field named secret', { tsig: { name: 'k', secretFile: '/k', secret: SECRET } }, 'tsig.secret'],
  ['a secret in the wrong place (key)', { tsig: { name: 'k', secretFile: '/k', key: SECRET } }, 'tsig.key'],
  ['a token that fails its check', { api: { token: SECRET } }, 'api.token'],
  // The section holding it fails too (secretFile missing): its value is printed, minus the secret.
  ['a secret in a section that is itself invalid', { tsig: { name: 'k', secret: SECRET } }, 'tsig.secret'],
])('names the field but not the value of %s', (_name, raw, path) => {
  const err = messageOf(raw);
  expect(err.message).toContain(path);
  expect(err.message).toContain('<redacted>');
  expect(err.message).not.toContain(SECRET);
  expect(JSON.stringify(err.problems)).not.toContain(SECRET);
});

it('still prints values of ordinary fields, so the user sees what was wrong', () => {
  const err = messageOf({ tsig: { name: 'k', secretFile: '' } });
  expect(err.message).toContain('tsig.secretFile: got ""');
});
