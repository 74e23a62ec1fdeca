import {
  CidrGeoLocator,
  InvalidStrategyConfigError,
  compileCidrTable,
  createGeoMatch,
  lookupCidr,
  parseAddress,
  validateGeoCidrs,
  type GeoCidr,
} from './index';

const entries: GeoCidr[] = [
  { cidr: '10.0.0.0/8', geoTag: 'eu' },
  { cidr: '10.1.0.0/16', geoTag: 'us' },
  { cidr: '192.0.2.0/24', geoTag: 'za' },
  { cidr: '2001:db8::/32', geoTag: 'eu' },
  { cidr: '2001:db8:1::/48', geoTag: 'us' },
  { cidr: '::ffff:198.51.100.0/120', geoTag: 'ap' },
];
const table = compileCidrTable(entries);

describe('CIDR table: longest prefix match and ECS scope', () => {
  it.each([
    // client, region, matched prefix, scope to echo
    ['10.2.3.4', 'eu', 8, 15], // inside 10/8 next to 10.1/16: the answer holds for 10.2.0.0/15 only
    ['10.128.0.1', 'eu', 8, 9],
    ['10.1.2.3', 'us', 16, 16],
    ['192.0.2.77', 'za', 24, 24],
    ['198.51.100.9', 'ap', 24, 24],
    ['172.16.0.1', undefined, -1, 2], // no match, but 192/8 is close: the default answer holds for 128.0.0.0/2 only
    ['2001:db8:2::1', 'eu', 32, 47],
    ['2001:db8:1:ffff::1', 'us', 48, 48],
    ['2001:db9::1', undefined, -1, 32],
  ])('%s → %s (/%s, scope /%s)', (client, geoTag, prefixLength, scope) => {
    const match = lookupCidr(table, parseAddress(client) ?? fail());
    expect(match).toEqual({ geoTag, prefixLength, scopePrefixLength: scope });
  });

  it('a scope never claims more than the answer covers: every address in it gets the same region', () => {
    for (const client of ['10.2.3.4', '10.128.0.1', '172.16.0.1', '2001:db8:2::1']) {
      const address = parseAddress(client) ?? fail();
      const { geoTag, scopePrefixLength } = lookupCidr(table, address);
      // Flip the first bit after the scope: the region may change; flipping any later bit must not.
      for (let bit = scopePrefixLength; bit < (address.family === 4 ? 32 : 128); bit++) {
        const flipped = parseAddress(client) ?? fail();
        flipped.words[bit >>> 5] = ((flipped.words[bit >>> 5] ?? 0) ^ (1 << (31 - (bit & 31)))) >>> 0;
        expect(lookupCidr(table, flipped).geoTag).toBe(geoTag);
      }
    }
  });

  it('looks up only the bits an ECS source prefix carries (scope may exceed it, RFC 7871)', () => {
    const address = parseAddress('10.0.0.0') ?? fail();
    address.bits = 8;
    expect(lookupCidr(table, address)).toEqual({ geoTag: 'eu', prefixLength: 8, scopePrefixLength: 9 });
  });

  it('an empty family answers scope 0: nothing depends on the client subnet', () => {
    const v4Only = compileCidrTable([{ cidr: '10.0.0.0/8', geoTag: 'eu' }]);
    expect(lookupCidr(v4Only, parseAddress('2001:db8::1') ?? fail())).toEqual({ geoTag: undefined, prefixLength: -1, scopePrefixLength: 0 });
  });

  it('a default route matches everything', () => {
    const withDefault = compileCidrTable([{ cidr: '0.0.0.0/0', geoTag: 'us' }, { cidr: '10.0.0.0/8', geoTag: 'eu' }]);
    expect(lookupCidr(withDefault, parseAddress('192.0.2.1') ?? fail())).toEqual({ geoTag: 'us', prefixLength: 0, scopePrefixLength: 1 });
    expect(lookupCidr(withDefault, parseAddress('10.9.9.9') ?? fail())).toEqual({ geoTag: 'eu', prefixLength: 8, scopePrefixLength: 8 });
  });

  it('accepts the same CIDR twice for the same region', () => {
    expect(validateGeoCidrs([...entries, { cidr: '10.0.0.0/8', geoTag: 'eu' }])).toEqual([]);
  });
});

describe('CIDR table: validation lists every problem', () => {
  it.each<[string, GeoCidr, string]>([
    ['no prefix', { cidr: '10.0.0.0', geoTag: 'eu' }, 'geoCidrs[0].cidr: has no /prefix length'],
    ['bad address', { cidr: '10.0.0/8', geoTag: 'eu' }, 'geoCidrs[0].cidr: has an invalid address'],
    ['prefix too long', { cidr: '10.0.0.0/33', geoTag: 'eu' }, 'geoCidrs[0].cidr: has an invalid prefix length (0..32)'],
    ['prefix not a number', { cidr: '10.0.0.0/x', geoTag: 'eu' }, 'invalid prefix length'],
    ['prefix with a leading zero', { cidr: '10.0.0.0/08', geoTag: 'eu' }, 'invalid prefix length'],
    ['IPv6 prefix too long', { cidr: '2001:db8::/129', geoTag: 'eu' }, '(0..128)'],
    ['host bits', { cidr: '10.0.0.1/8', geoTag: 'eu' }, 'has host bits set (the network is 10.0.0.0/8)'],
    ['IPv6 host bits', { cidr: '2001:db8::1/32', geoTag: 'eu' }, 'the network is 2001:db8::/32'],
    ['mapped and other IPv6 at once', { cidr: '::ffff:0.0.0.0/95', geoTag: 'eu' }, 'split it at ::ffff:0:0/96'],
    ['not a string', { cidr: 42 as unknown as string, geoTag: 'eu' }, 'must be a string'],
    ['empty geotag', { cidr: '10.0.0.0/8', geoTag: '' }, 'geoCidrs[0].geoTag: must be a non-empty geotag'],
  ])('%s', (_name, entry, message) => {
    const errors = validateGeoCidrs([entry]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(message);
    expect(errors[0]?.fix).toEqual(expect.any(String));
  });

  it('reports conflicts, unknown regions and bad lines together, with their positions', () => {
    const errors = validateGeoCidrs(
      [
        { cidr: '10.0.0.0/8', geoTag: 'eu' },
        { cidr: '10.0.0.0/8', geoTag: 'us' },
        { cidr: '192.0.2.0/24', geoTag: 'mars' },
        { cidr: 'nonsense', geoTag: 'eu' },
      ],
      { knownGeoTags: ['eu', 'us'], path: 'region.geoCidrs' },
    );
    expect(errors.map((e) => e.field)).toEqual(['region.geoCidrs[1].cidr', 'region.geoCidrs[2].geoTag', 'region.geoCidrs[3].cidr']);
    expect(errors[0]?.message).toContain('already mapped to "eu" by region.geoCidrs[0]');
    expect(errors[1]?.message).toContain('use one of: eu, us');
  });

  it('compileCidrTable throws them all at once', () => {
    expect(() => compileCidrTable([{ cidr: 'x', geoTag: 'eu' }, { cidr: 'y', geoTag: '' }])).toThrow(InvalidStrategyConfigError);
    try {
      compileCidrTable([{ cidr: 'x', geoTag: 'eu' }, { cidr: 'y', geoTag: '' }]);
    } catch (error) {
      expect((error as InvalidStrategyConfigError).errors).toHaveLength(2);
    }
  });
});

describe('CidrGeoLocator', () => {
  it('fills a reused match in place', () => {
    const locator = new CidrGeoLocator(table);
    const match = createGeoMatch();
    expect(locator.locate(parseAddress('10.1.0.1') ?? fail(), match)).toBe(match);
    expect(match).toEqual({ geoTag: 'us', scopePrefixLength: 16 });
    locator.locate(parseAddress('172.16.0.1') ?? fail(), match);
    expect(match).toEqual({ geoTag: undefined, scopePrefixLength: 2 });
  });
});

function fail(): never {
  throw new Error('test address did not parse');
}
