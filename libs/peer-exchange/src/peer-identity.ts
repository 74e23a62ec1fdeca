import type { PeerCertificate } from 'node:tls';

/** The names a certificate is for: its subject CN and its DNS subject alternative names. */
export function certificateNames(certificate: PeerCertificate | undefined): string[] {
  if (!certificate || Object.keys(certificate).length === 0) return [];
  const names = new Set<string>();
  const cn = certificate.subject?.CN;
  if (typeof cn === 'string') names.add(cn.toLowerCase());
  for (const entry of (certificate.subjectaltname ?? '').split(',')) {
    const match = /^\s*DNS:(.+?)\s*$/.exec(entry);
    if (match) names.add((match[1] as string).toLowerCase());
  }
  return [...names].sort();
}

/** "{region}.peers.example.com" → the name region "eu" must present. */
export function expectedIdentity(template: string, region: string): string {
  return template.replace(/\{region\}/g, region).toLowerCase();
}
