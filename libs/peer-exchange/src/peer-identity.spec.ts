import type { PeerCertificate } from 'node:tls';
import { certificateNames, expectedIdentity } from './peer-identity';

describe('peer identity', () => {
  it.each([
    ['CN and DNS SANs, without IP SANs', { subject: { CN: 'EU.peers.meridian' }, subjectaltname: 'DNS:eu.peers.meridian, DNS:localhost, IP Address:127.0.0.1' }, ['eu.peers.meridian', 'localhost']],
    ['no certificate', undefined, []],
    ['an empty certificate object (no client certificate)', {}, []],
  ])('names of %s', (_name, certificate, names) => {
    expect(certificateNames(certificate as PeerCertificate | undefined)).toEqual(names);
  });

  it('fills the template with the region', () => {
    expect(expectedIdentity('{region}.peers.example.com', 'us-east-1')).toBe('us-east-1.peers.example.com');
  });
});
