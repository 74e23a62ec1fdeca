import { UsageError } from '../src/cli-errors';
import { parseCommandLine } from '../src/cli-options';

describe('parseCommandLine', () => {
  it.each([
    [['status'], 'eu', '127.0.0.1:7104'],
    [['status', '--region', 'us'], 'us', '127.0.0.1:7204'],
    [['explain', 'failover.gslb.example.com.', '--records', '10.0.0.1:9000'], 'custom', '10.0.0.1:9000'],
  ])('%j asks %s with records at %s', (argv, region, records) => {
    const parsed = parseCommandLine(argv);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.options.regions[0]?.region).toBe(region);
    expect(parsed.options.regions[0]?.addresses.records).toBe(records);
  });

  it('hosts --all-regions asks eu and us', () => {
    const parsed = parseCommandLine(['hosts', '--all-regions']);
    expect(parsed.help ? [] : parsed.options.regions.map((r) => r.region)).toEqual(['eu', 'us']);
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['explain'], /exactly one host/],
    [['status', '--region', 'mars'], /unknown region "mars"/],
    [['status', '--region', 'eu', '--region', 'us'], /one region/],
    [['status', '--records', 'nope'], /not host:port/],
    [['status', '--cert', 'c.pem'], /--cert and --key go together/],
    [['status', '--timeout', '0'], /positive number/],
    [['status', '--bogus'], /Unknown option/],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
