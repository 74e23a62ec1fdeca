import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WireDnsClient } from '@meridian/dns-wire';
import { nullLogger } from '@meridian/logging';
import { startBindServer, type BindServer } from '@meridian/peer-sync-testing';
import { DelegationPublisher, EdgeDnsUpdateRefusedError, loadTsigKey, TsigUpdateClient, type DelegationResult, type TsigKey } from '../src';

const ZONES = [{ zone: 'gslb.example.com', parent: 'example.com' }];

/** RFC 2136 + TSIG against a real BIND 9 parent zone. */
describe('TsigUpdateClient and DelegationPublisher against BIND 9', () => {
  let bind: BindServer;
  let euKey: TsigKey;
  let usKey: TsigKey;

  beforeAll(async () => {
    bind = await startBindServer({
      zones: [{ name: 'example.com', updateKeys: ['meridian-eu', 'meridian-us'], records: ['www IN A 192.0.2.80'] }],
      keys: [{ name: 'meridian-eu' }, { name: 'meridian-us' }, { name: 'meridian-ap' }],
    });
    euKey = loadTsigKey({ keyFile: bind.keyFile('meridian-eu') }, 'tsig');
    usKey = loadTsigKey({ keyFile: bind.keyFile('meridian-us') }, 'tsig');
  }, 20_000);

  afterAll(async () => {
    await bind?.stop();
  });

  const client = (key: TsigKey) => new TsigUpdateClient({ host: bind.host, port: bind.port, key });
  const publisher = (geotag: string, key: TsigKey, addresses: string[], results: DelegationResult[] = []) =>
    new DelegationPublisher({
      geotag,
      zones: ZONES,
      addresses,
      ttlSeconds: 30,
      refreshMs: 60_000,
      reader: new WireDnsClient({ host: bind.host, port: bind.port }),
      updater: client(key),
      server: `${bind.host}:${bind.port}`,
      logger: nullLogger,
      onResult: (r) => results.push(r),
    });

  it('adds an NS record and its glue with a signed update, and BIND accepts the signature', async () => {
    await client(euKey).update('example.com', [
      { op: 'add', name: 'signed.example.com', type: 'A', ttl: 60, data: '192.0.2.7' },
      { op: 'add', name: 'signed.example.com', type: 'AAAA', ttl: 60, data: '2001:db8::7' },
    ]);
    expect(bind.digShort('signed.example.com', 'A')).toEqual(['192.0.2.7']);
    expect(bind.digShort('signed.example.com', 'AAAA')).toEqual(['2001:db8::7']);
    await client(euKey).update('example.com', [{ op: 'delete', name: 'signed.example.com', type: 'A', data: '192.0.2.7' }]);
    expect(bind.digShort('signed.example.com', 'A')).toEqual([]);
  });

  it.each([
    ['a secret that differs from the server\'s', () => ({ ...euKey, secret: Buffer.alloc(32, 7) }), 'BADSIG', /secret of key "meridian-eu" differs from the server's/],
    ['a key the server does not have', () => ({ name: 'meridian-nobody', algorithm: 'hmac-sha256' as const, secret: Buffer.alloc(32, 1) }), 'BADKEY', /no key "meridian-nobody"/],
  ])('rejects %s with a clear error, and changes nothing', async (_name, key, tsigError, message) => {
    const serial = bind.serial('example.com');
    const update = client(key()).update('example.com', [{ op: 'add', name: 'evil.example.com', type: 'A', ttl: 60, data: '192.0.2.66' }]);
    await expect(update).rejects.toBeInstanceOf(EdgeDnsUpdateRefusedError);
    await expect(update).rejects.toMatchObject({ rcode: 'NOTAUTH', tsigError, message: expect.stringMatching(message) });
    expect(bind.digShort('evil.example.com', 'A')).toEqual([]);
    expect(bind.serial('example.com')).toBe(serial);
  });

  it('reports a key the zone does not allow as REFUSED, naming allow-update', async () => {
    const apKey = loadTsigKey({ keyFile: bind.keyFile('meridian-ap') }, 'tsig');
    const update = client(apKey).update('example.com', [{ op: 'add', name: 'ap.example.com', type: 'A', ttl: 60, data: '192.0.2.9' }]);
    await expect(update).rejects.toMatchObject({ rcode: 'REFUSED', message: expect.stringContaining('allow-update') });
  });

  it('publishes each region\'s delegation, again without change, and never touches the other region', async () => {
    const euResults: DelegationResult[] = [];
    await publisher('eu', euKey, ['127.0.0.11', 'fd00::11'], euResults).publishOnce();
    await publisher('us', usKey, ['127.0.0.12']).publishOnce();
    expect(euResults).toEqual([expect.objectContaining({ outcome: 'applied', nameserver: 'gslb-ns-eu-gslb.example.com' })]);
    expect(bind.nameservers('gslb.example.com')).toEqual(['gslb-ns-eu-gslb.example.com.', 'gslb-ns-us-gslb.example.com.']);
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'A')).toEqual(['127.0.0.11']);
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'AAAA')).toEqual(['fd00::11']);
    const zone = bind.axfr('example.com');
    const serial = bind.serial('example.com');

    // A second round (a restart) reads, finds everything in place, and sends nothing.
    const again = await publisher('eu', euKey, ['127.0.0.11', 'fd00::11']).publishOnce();
    expect(again.map((r) => r.outcome)).toEqual(['unchanged']);
    expect(bind.serial('example.com')).toBe(serial);
    expect(bind.axfr('example.com')).toEqual(zone);

    // A new glue address replaces only eu's old one; us's records stay.
    const moved = await publisher('eu', euKey, ['127.0.0.21']).publishOnce();
    expect(moved[0]?.detail).toBe(
      'delete gslb-ns-eu-gslb.example.com A 127.0.0.11; add gslb-ns-eu-gslb.example.com 30 A 127.0.0.21; delete gslb-ns-eu-gslb.example.com AAAA fd00::11',
    );
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'A')).toEqual(['127.0.0.21']);
    expect(bind.digShort('gslb-ns-eu-gslb.example.com', 'AAAA')).toEqual([]);
    expect(bind.digShort('gslb-ns-us-gslb.example.com', 'A')).toEqual(['127.0.0.12']);
    expect(bind.nameservers('gslb.example.com')).toHaveLength(2);
    expect(bind.digShort('www.example.com', 'A')).toEqual(['192.0.2.80']);
  });

  it('loads a key from a name and a secret file too', () => {
    const secretFile = join(bind.dir, 'eu.secret');
    writeFileSync(secretFile, `${bind.secret('meridian-eu')}\n`);
    expect(loadTsigKey({ name: 'meridian-eu', secretFile }, 'tsig')).toEqual(euKey);
  });
});
