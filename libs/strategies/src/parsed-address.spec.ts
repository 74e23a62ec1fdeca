import { addressBit, addressFromBytes, createParsedAddress, formatAddress, parseAddress } from './index';

describe('parseAddress', () => {
  it.each([
    ['192.0.2.1', 4, 32, '192.0.2.1'],
    ['0.0.0.0', 4, 32, '0.0.0.0'],
    ['255.255.255.255', 4, 32, '255.255.255.255'],
    ['2001:db8::1', 6, 128, '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 6, 128, '2001:db8::1'],
    ['::', 6, 128, '::'],
    ['::1', 6, 128, '::1'],
    ['1::', 6, 128, '1::'],
    ['1:2:3:4:5:6:7:8', 6, 128, '1:2:3:4:5:6:7:8'],
    ['1:0:0:2:0:0:0:3', 6, 128, '1:0:0:2::3'],
    ['1:0:2:3:4:5:6:7', 6, 128, '1:0:2:3:4:5:6:7'],
    ['fe80::1%eth0', 6, 128, 'fe80::1'],
    ['64:ff9b::192.0.2.1', 6, 128, '64:ff9b::c000:201'],
    ['1:2:3:4:5:6:1.2.3.4', 6, 128, '1:2:3:4:5:6:102:304'],
    // Dual-stack sockets report IPv4 clients like this: they are IPv4 clients.
    ['::ffff:192.0.2.1', 4, 32, '192.0.2.1'],
    ['::ffff:c000:201', 4, 32, '192.0.2.1'],
  ])('%s → IPv%s', (text, family, bits, formatted) => {
    const parsed = parseAddress(text);
    expect(parsed).toMatchObject({ family, bits });
    expect(formatAddress(parsed ?? createParsedAddress())).toBe(formatted);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '01.2.3.4',
    '1..3.4',
    '1.2.3.4x',
    'a.b.c.d',
    ':1',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '12345::',
    '1:',
    'g::1',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3',
    '1:2',
    '1::2x',
    '1:2:3:4:5:6:7:8 ',
  ])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });

  it('fills a reusable object instead of allocating one', () => {
    const out = createParsedAddress();
    expect(parseAddress('2001:db8::1', out)).toBe(out);
    expect(parseAddress('192.0.2.1', out)).toBe(out);
    expect(Array.from(out.words)).toEqual([0xc0000201, 0, 0, 0]);
  });

  it('reads bits from the most significant end', () => {
    const address = parseAddress('128.0.0.1') ?? createParsedAddress();
    expect([addressBit(address, 0), addressBit(address, 1), addressBit(address, 31)]).toEqual([1, 0, 1]);
  });
});

describe('addressFromBytes (ECS option payload)', () => {
  it.each([
    [4, [192, 0, 2], 24, 4, 24, '192.0.2.0'],
    [4, [192, 0, 2, 1], undefined, 4, 32, '192.0.2.1'],
    [6, [0x20, 0x01, 0x0d, 0xb8], 32, 6, 32, '2001:db8::'],
    [6, [0x20, 0x01, 0x0d, 0xb8], undefined, 6, 128, '2001:db8::'],
    [6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100], 120, 4, 24, '198.51.100.0'],
  ] as const)('family %s bytes %j /%s', (family, bytes, prefix, expectedFamily, bits, formatted) => {
    const parsed = addressFromBytes(family, Uint8Array.from(bytes), prefix);
    expect(parsed).toMatchObject({ family: expectedFamily, bits });
    expect(formatAddress(parsed ?? createParsedAddress())).toBe(formatted);
  });

  it.each([
    [4, [1, 2, 3, 4, 5], 32],
    [4, [1, 2, 3, 4], 33],
    [4, [1, 2, 3, 4], -1],
    [6, [1], 1.5],
  ] as const)('rejects family %s bytes %j /%s', (family, bytes, prefix) => {
    expect(addressFromBytes(family, Uint8Array.from(bytes), prefix)).toBeUndefined();
  });

  it('fills a reusable object', () => {
    const out = createParsedAddress();
    expect(addressFromBytes(4, Uint8Array.from([10, 1]), 16, out)).toBe(out);
  });
});
