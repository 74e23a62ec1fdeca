import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  ca: string;
  otherCa: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  /** A client certificate signed by otherCa. */
  strangerClient: { cert: string; key: string };
  /** A client certificate signed by the CA, valid only on 2020-01-01. */
  expiredClient: { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], dir);
}

function makeLeaf(dir: string, ca: string, name: string, san: string): { cert: string; key: string } {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/** A leaf whose validity is given (`openssl x509` cannot backdate in OpenSSL 3.0; `openssl ca` can). */
function makeDatedLeaf(dir: string, ca: string, name: string, san: string, notBefore: string, notAfter: string): { cert: string; key: string } {
  writeFileSync(join(dir, `${name}.index`), '');
  writeFileSync(join(dir, `${name}.serial`), '01\n');
  writeFileSync(
    join(dir, `${name}.cnf`),
    ['[ca]', 'default_ca = test', '[test]', `database = ${name}.index`, 'new_certs_dir = .', `serial = ${name}.serial`, 'default_md = sha256', 'policy = any', 'copy_extensions = copy', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'),
  );
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`,
    '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  openssl(['ca', '-batch', '-config', `${name}.cnf`, '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-startdate', notBefore, '-enddate', notAfter, '-notext'], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/** A throw-away PKI made with the openssl CLI: a CA, a server and a client, a stranger CA and an expired client. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    otherCa: join(dir, 'other-ca.crt'),
    server: makeLeaf(dir, 'ca', 'server', 'DNS:localhost,IP:127.0.0.1'),
    client: makeLeaf(dir, 'ca', 'client', 'DNS:eu.peer.meridian'),
    strangerClient: makeLeaf(dir, 'other-ca', 'stranger', 'DNS:stranger.peer.meridian'),
    expiredClient: makeDatedLeaf(dir, 'ca', 'expired', 'DNS:expired.peer.meridian', '20200101000000Z', '20200102000000Z'),
  };
}
