import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificatePair {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  /** The fleet's CA. */
  ca: string;
  /** Another CA, whose certificates the fleet must refuse. */
  otherCa: string;
  /** A certificate for a region, signed by the fleet's CA, usable as server and client. */
  region(name: string): CertificatePair;
  /** A region certificate signed by the other CA. */
  stranger(name: string): CertificatePair;
  /** A region certificate from the fleet's CA that expired in 2020. */
  expired(name: string): CertificatePair;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], dir);
}

/**
 * A throw-away PKI made with the openssl CLI. Region certificates carry the SANs a peer is
 * checked against: `DNS:<region>.peers.meridian`, `DNS:localhost` and `IP:127.0.0.1`, and no
 * extended key usage, so one pair serves both as a server and as a client.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-peer-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = test', '[test]', 'database = index.txt', 'new_certs_dir = .', 'serial = serial', 'default_md = sha256', 'policy = any', 'copy_extensions = copy', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'),
  );
  const leaf = (ca: string, name: string, file: string, dates?: [string, string]): CertificatePair => {
    const san = `subjectAltName=DNS:${name}.peers.meridian,DNS:localhost,IP:127.0.0.1`;
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}.peers.meridian`, '-addext', san, '-keyout', `${file}.key`, '-out', `${file}.csr`], dir);
    if (dates) {
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`, '-in', `${file}.csr`, '-out', `${file}.crt`, '-startdate', dates[0], '-enddate', dates[1], '-notext'], dir);
    } else {
      writeFileSync(join(dir, `${file}.ext`), `${san}\n`);
      openssl(['x509', '-req', '-in', `${file}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${file}.ext`, '-out', `${file}.crt`], dir);
    }
    return { cert: join(dir, `${file}.crt`), key: join(dir, `${file}.key`) };
  };
  const cache = new Map<string, CertificatePair>();
  const memo = (key: string, make: () => CertificatePair) => {
    const found = cache.get(key);
    if (found) return found;
    const made = make();
    cache.set(key, made);
    return made;
  };
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    otherCa: join(dir, 'other-ca.crt'),
    region: (name) => memo(`region:${name}`, () => leaf('ca', name, name)),
    stranger: (name) => memo(`stranger:${name}`, () => leaf('other-ca', name, `stranger-${name}`)),
    expired: (name) => memo(`expired:${name}`, () => leaf('ca', name, `expired-${name}`, ['20200101000000Z', '20200102000000Z'])),
  };
}
