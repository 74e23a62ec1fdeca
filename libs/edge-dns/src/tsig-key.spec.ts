import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTsigKey, parseBindKeys } from './tsig-key';

const SECRET = Buffer.alloc(32, 5).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'meridian-tsig-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('TSIG keys', () => {
  it('reads what tsig-keygen writes, comments and all', () => {
    const text = `# made by tsig-keygen\nkey "Meridian-EU." {\n\talgorithm hmac-sha256;\n\tsecret "${SECRET}";\n};\n/* another */ key other { algorithm HMAC-SHA512; secret "${SECRET}"; };`;
    expect(parseBindKeys(text)).toEqual([
      { name: 'meridian-eu', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 5) },
      { name: 'other', algorithm: 'hmac-sha512', secret: Buffer.alloc(32, 5) },
    ]);
  });

  it.each([
    ['a missing key file', { keyFile: join(dir, 'nope.key') }, /^edgeDns\.tsig\.keyFile: .*nope\.key does not exist/],
    ['a file without a key', { keyFile: file('empty.key', '# nothing\n') }, /holds no key statement; write it with: tsig-keygen/],
    ['an MD5 key', { keyFile: file('md5.key', `key k { algorithm hmac-md5; secret "${SECRET}"; };`) }, /uses hmac-md5; use one of hmac-sha256/],
    ['a secret that is not base64', { keyFile: file('bad.key', 'key k { algorithm hmac-sha256; secret "%%%"; };') }, /the secret is not base64/],
    ['a short secret', { keyFile: file('short.key', 'key k { algorithm hmac-sha256; secret "c2hvcnQ="; };') }, /is 5 bytes; use at least 16/],
    ['two keys without a name', { keyFile: file('two.key', `key a { algorithm hmac-sha256; secret "${SECRET}"; }; key b { algorithm hmac-sha256; secret "${SECRET}"; };`) }, /^edgeDns\.tsig\.name: .* holds 2 keys/],
    ['a name the file lacks', { keyFile: file('one.key', `key a { algorithm hmac-sha256; secret "${SECRET}"; };`), name: 'b' }, /has no key named "b" \(it has "a"\)/],
    ['a name without a secret', { name: 'a' }, /^edgeDns\.tsig: needs keyFile/],
  ])('rejects %s, naming the field', (_name, source, message) => {
    expect(() => loadTsigKey(source, 'edgeDns.tsig')).toThrow(message);
  });

  it('reads a name and a secret file', () => {
    expect(loadTsigKey({ name: 'K.', secretFile: file('k.secret', `${SECRET}\n`), algorithm: 'hmac-sha384' }, 'tsig')).toEqual({
      name: 'k',
      algorithm: 'hmac-sha384',
      secret: Buffer.alloc(32, 5),
    });
  });
});
