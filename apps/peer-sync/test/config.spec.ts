import { join } from 'node:path';
import { ConfigError, readYamlFile, validateConfig } from '@meridian/config';
import { peerSyncConfigSchema } from '../src/config';

const validate = (raw: Record<string, unknown>) => validateConfig(peerSyncConfigSchema, raw, 'test.yaml');
const problems = (raw: Record<string, unknown>): string[] => {
  try {
    validate(raw);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('peer-sync configuration', () => {
  it.each(['example-eu.yaml', 'example-us.yaml'])('accepts the demo config %s', (file) => {
    const config = validate(readYamlFile(join(__dirname, '..', 'config', file)));
    expect(config.peering.plaintext).toBe(true);
    expect(config.peering.peers).toHaveLength(1);
  });

  it('has defaults for everything but the region', () => {
    expect(validate({ region: 'eu' })).toMatchObject({
      grpc: { port: 7102 },
      metrics: { port: 9102 },
      peering: { heartbeatSeconds: 2, contactUpdateSeconds: 5, historyLimit: 1024, plaintext: false, peers: [] },
      k8gb: { pollSeconds: 5, timeoutMs: 2000 },
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a meridian peer without address', { peering: { plaintext: true, peers: [{ region: 'us' }] } }, 'peering.peers.0.address: is required for a meridian peer'],
    ['a k8gb peer without nameservers', { peering: { peers: [{ region: 'us', kind: 'k8gb' }] } }, 'peering.peers.0.nameservers: are required for a k8gb peer'],
    ['a k8gb peer with an address', { peering: { peers: [{ region: 'us', kind: 'k8gb', address: 'a:1', nameservers: ['a'] }] } }, 'peering.peers.0.address: is for meridian peers only'],
    ['a peer listed twice', { peering: { plaintext: true, peers: [{ region: 'us', address: 'a:1' }, { region: 'us', address: 'b:1' }] } }, 'peering.peers.1.region: region "us" is listed twice'],
    ['an address without a port', { peering: { plaintext: true, peers: [{ region: 'us', address: '10.0.0.1' }] } }, 'peering.peers.0.address: must be "host:port"'],
    ['meridian peers without TLS', { peering: { peers: [{ region: 'us', address: 'a:1' }] } }, 'grpc.tls: is required to accept peers over mutual TLS'],
    [
      'TLS without client certificates',
      { grpc: { tls: { certFile: 'c', keyFile: 'k', caFile: 'ca' } }, peering: { peers: [{ region: 'us', address: 'a:1' }] } },
      'grpc.tls.requireClientCert: must be true',
    ],
    ['plaintext with TLS', { grpc: { tls: { certFile: 'c', keyFile: 'k' } }, peering: { plaintext: true } }, 'peering.plaintext: cannot be true while grpc.tls is set'],
    ['a peer identity without {region}', { peering: { peerIdentity: 'peers.example.com' } }, 'peering.peerIdentity: must contain "{region}"'],
    ['a zone outside its parent', { edgeDns: { server: '192.0.2.53', zones: [{ zone: 'gslb.example.org', parent: 'example.com' }] } }, 'edgeDns.zones.0: zone must lie below parent'],
    ['a delegation without TSIG', { edgeDns: { server: '192.0.2.53', zones: [{ zone: 'gslb.example.com', parent: 'example.com' }], delegation: { addresses: ['192.0.2.1'] } } }, 'edgeDns.delegation.tsig: '],
    ['a glue address that is not an IP', { edgeDns: { server: '192.0.2.53', zones: [{ zone: 'gslb.example.com', parent: 'example.com' }], delegation: { addresses: ['ns.example.com'], tsig: { keyFile: 'k' } } } }, 'edgeDns.delegation.addresses.0: must be an IPv4 or IPv6 address'],
  ])('rejects %s, naming the field', (_name, raw, problem) => {
    expect(problems({ region: 'eu', ...raw })).toContainEqual(expect.stringContaining(problem));
  });
});
