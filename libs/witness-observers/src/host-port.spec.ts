import { formatHostPort, parseHostPort } from './host-port';

describe('parseHostPort', () => {
  it.each<[string, number | undefined, { host: string; port: number } | undefined]>([
    ['10.0.0.53:53', undefined, { host: '10.0.0.53', port: 53 }],
    ['[2001:db8::53]:5353', undefined, { host: '2001:db8::53', port: 5353 }],
    ['resolver.example:53', undefined, { host: 'resolver.example', port: 53 }],
    ['10.0.0.53', 53, { host: '10.0.0.53', port: 53 }],
    ['10.0.0.53', undefined, undefined],
    ['10.0.0.53:0', undefined, undefined],
    ['10.0.0.53:70000', undefined, undefined],
    ['2001:db8::53:53', undefined, undefined],
    ['', undefined, undefined],
  ])('%s', (text, defaultPort, expected) => {
    expect(parseHostPort(text, defaultPort)).toEqual(expected);
    if (expected) expect(formatHostPort(expected)).toBe(text.includes(':') || defaultPort === undefined ? text : `${text}:${defaultPort}`);
  });
});
