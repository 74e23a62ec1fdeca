import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';
import type { TlsConfig } from '@meridian/config';
import { TlsConfigError } from './errors';

export interface LoadedTls {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requireClientCert: boolean;
  /** The certificate's notAfter, for the expiry metric and logs. */
  expiresAt: Date;
}

/**
 * Reads and checks certificate files once, at start-up, so a bad file is a clear error that
 * names the field instead of a handshake failure later: missing or unreadable files, PEM that
 * does not parse, a key that does not match, an expired or not-yet-valid certificate, and a
 * certificate not signed by the configured CA.
 */
export function loadTls(tls: TlsConfig, fieldPrefix: string, now: Date = new Date()): LoadedTls {
  const cert = readPem(`${fieldPrefix}.certFile`, tls.certFile);
  const key = readPem(`${fieldPrefix}.keyFile`, tls.keyFile);
  const ca = tls.caFile === undefined ? undefined : readPem(`${fieldPrefix}.caFile`, tls.caFile);

  const x509 = parseCertificate(`${fieldPrefix}.certFile`, tls.certFile, cert);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (cause) {
    throw new TlsConfigError(`${fieldPrefix}.keyFile`, `${tls.keyFile} is not a PEM private key`, { cause });
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsConfigError(`${fieldPrefix}.keyFile`, `${tls.keyFile} does not match the certificate in ${tls.certFile}`);
  }
  const notAfter = new Date(x509.validTo);
  if (notAfter.getTime() < now.getTime()) {
    throw new TlsConfigError(`${fieldPrefix}.certFile`, `${tls.certFile} expired on ${notAfter.toISOString()}: renew it`);
  }
  const notBefore = new Date(x509.validFrom);
  if (notBefore.getTime() > now.getTime()) {
    throw new TlsConfigError(`${fieldPrefix}.certFile`, `${tls.certFile} is not valid before ${notBefore.toISOString()}: check the clock`);
  }
  if (ca !== undefined && tls.caFile !== undefined) {
    const authority = parseCertificate(`${fieldPrefix}.caFile`, tls.caFile, ca);
    if (!x509.checkIssued(authority) || !x509.verify(authority.publicKey)) {
      throw new TlsConfigError(
        `${fieldPrefix}.caFile`,
        `${tls.certFile} is not signed by the CA in ${tls.caFile}: use the CA that issued it, or a certificate from this CA`,
      );
    }
  }
  return { cert, key, ...(ca ? { ca } : {}), requireClientCert: tls.requireClientCert, expiresAt: notAfter };
}

/** Server credentials: insecure without TLS config, TLS with it, mutual TLS with requireClientCert. */
export function serverCredentials(tls: LoadedTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.ca ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.requireClientCert);
}

/** What a client needs: the CA that verifies the server, and its own pair for mutual TLS. */
export type ClientTls = Pick<LoadedTls, 'ca'> & Partial<Pick<LoadedTls, 'cert' | 'key'>>;

/** Client credentials: insecure without TLS; the CA verifies the server; cert and key make it mutual. */
export function channelCredentials(tls: ClientTls | undefined): ChannelCredentials {
  if (!tls) return ChannelCredentials.createInsecure();
  return ChannelCredentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
}

function readPem(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this process' : `cannot be read (${code})`;
    throw new TlsConfigError(field, `${path} ${reason}`, { cause });
  }
}

function parseCertificate(field: string, path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw new TlsConfigError(field, `${path} is not a PEM certificate`, { cause });
  }
}
