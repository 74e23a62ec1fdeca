import { readFileSync } from 'node:fs';
import { normalizeName } from '@meridian/dns-wire';
import { TsigKeyError } from './edge-dns-error';

/** HMAC algorithms of RFC 8945 §6 that Meridian signs with (HMAC-MD5 is deliberately absent). */
export const TSIG_ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1'] as const;
export type TsigAlgorithm = (typeof TSIG_ALGORITHMS)[number];

/** A shared TSIG secret, as BIND's `key` statement names it. */
export interface TsigKey {
  /** The key name, lower case, without the trailing dot. */
  name: string;
  algorithm: TsigAlgorithm;
  secret: Buffer;
}

/** Where a key comes from: a BIND key file (what `tsig-keygen` prints), or a name and a secret file. */
export interface TsigKeySource {
  /** A file holding `key "name" { algorithm hmac-sha256; secret "base64"; };`. */
  keyFile?: string | undefined;
  /** The key name; with keyFile, picks one key of several. */
  name?: string | undefined;
  algorithm?: TsigAlgorithm | undefined;
  /** A file holding only the base64 secret. */
  secretFile?: string | undefined;
}

/**
 * Reads a TSIG key once, at start-up, so a bad file is an error that names the field instead
 * of a refused update later.
 */
export function loadTsigKey(source: TsigKeySource, field: string): TsigKey {
  if (source.keyFile !== undefined) {
    const text = readText(`${field}.keyFile`, source.keyFile);
    const keys = parseBindKeys(text);
    if (keys.length === 0) {
      throw new TsigKeyError(`${field}.keyFile`, `${source.keyFile} holds no key statement; write it with: tsig-keygen -a hmac-sha256 <name> > ${source.keyFile}`);
    }
    const wanted = source.name === undefined ? undefined : normalizeName(source.name);
    const key = wanted === undefined ? keys[0] : keys.find((k) => k.name === wanted);
    if (!key) throw new TsigKeyError(`${field}.name`, `${source.keyFile} has no key named "${source.name}" (it has ${keys.map((k) => `"${k.name}"`).join(', ')})`);
    if (wanted === undefined && keys.length > 1) {
      throw new TsigKeyError(`${field}.name`, `${source.keyFile} holds ${keys.length} keys: name the one to use`);
    }
    return key;
  }
  if (source.name === undefined || source.secretFile === undefined) {
    throw new TsigKeyError(field, 'needs keyFile (a BIND key file), or name and secretFile');
  }
  const secret = decodeSecret(`${field}.secretFile`, readText(`${field}.secretFile`, source.secretFile).trim());
  return { name: normalizeName(source.name), algorithm: source.algorithm ?? 'hmac-sha256', secret };
}

/** Every `key "name" { algorithm …; secret "…"; };` statement of a BIND configuration text. */
export function parseBindKeys(text: string): TsigKey[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)(#|\/\/).*$/gm, '$1');
  const keys: TsigKey[] = [];
  const statement = /key\s+"?([^"\s{]+)"?\s*\{([^}]*)\}\s*;/g;
  for (let match = statement.exec(withoutComments); match; match = statement.exec(withoutComments)) {
    const body = match[2] as string;
    const algorithm = /algorithm\s+"?([a-z0-9-]+)"?\s*;/i.exec(body)?.[1]?.toLowerCase();
    const secret = /secret\s+"([^"]+)"\s*;/.exec(body)?.[1];
    const name = normalizeName(match[1] as string);
    if (!algorithm || !secret) throw new TsigKeyError('keyFile', `key "${name}" needs both an algorithm and a secret`);
    if (!(TSIG_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new TsigKeyError('keyFile', `key "${name}" uses ${algorithm}; use one of ${TSIG_ALGORITHMS.join(', ')}`);
    }
    keys.push({ name, algorithm: algorithm as TsigAlgorithm, secret: decodeSecret('keyFile', secret) });
  }
  return keys;
}

function decodeSecret(field: string, base64: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new TsigKeyError(field, 'the secret is not base64');
  const secret = Buffer.from(base64, 'base64');
  if (secret.length < 16) throw new TsigKeyError(field, `the secret is ${secret.length} bytes; use at least 16 (tsig-keygen makes 32)`);
  return secret;
}

function readText(field: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this process' : `cannot be read (${code})`;
    throw new TsigKeyError(field, `${path} ${reason}`, { cause });
  }
}
