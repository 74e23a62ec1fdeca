import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '@meridian/config';
import { parse } from 'yaml';
import { recordsConfigSchema, recordsSettings } from '../src/config';

const example = (region: 'eu' | 'us') => parse(readFileSync(join(__dirname, '..', 'config', `example-${region}.yaml`), 'utf8')) as Record<string, unknown>;
const problems = (raw: Record<string, unknown>): string => {
  try {
    validateConfig(recordsConfigSchema, raw, 'records.yaml');
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('records configuration', () => {
  it.each(['eu', 'us'] as const)('the example config of region %s compiles into the engine settings', (region) => {
    const config = validateConfig(recordsConfigSchema, example(region), `example-${region}.yaml`);
    const { settings, inputs } = recordsSettings(config);
    expect(settings).toMatchObject({
      localGeoTag: region,
      regions: [
        { geoTag: 'eu', proximity: ['us'] },
        { geoTag: 'us', proximity: ['eu'] },
      ],
      zones: [{ origin: 'gslb.example.com', parentZone: 'example.com', soa: { minimum: 30 }, nsTtlSeconds: 30 }],
      nameserverPrefix: 'gslb-ns',
      geoCidrs: [
        { cidr: '10.1.0.0/16', geoTag: 'eu' },
        { cidr: '10.2.0.0/16', geoTag: 'us' },
      ],
      limits: { freshForMs: 3000, staleLimitMs: 300_000, aliveHoldLimitMs: 900_000 },
      expectLocalTargets: true,
      expectRemoteTargets: true,
      expectVerdicts: true,
    });
    const port = region === 'eu' ? 71 : 72;
    expect(inputs).toMatchObject({ prober: `127.0.0.1:${port}01`, peerSync: `127.0.0.1:${port}02`, witness: `127.0.0.1:${port}03`, heartbeatTimeoutMs: 6000 });
    expect(config.grpc.port).toBe(port * 100 + 4);
  });

  it('without regions, this region is alone; without zones and prober, records serves nothing and needs nothing', () => {
    const { settings, inputs } = recordsSettings(validateConfig(recordsConfigSchema, { region: 'eu' }, 'records.yaml'));
    expect(settings.regions).toEqual([{ geoTag: 'eu', proximity: [] }]);
    expect(settings.zones).toEqual([]);
    expect(settings.expectLocalTargets).toBe(false);
    expect(inputs.prober).toBeUndefined();
  });

  it.each([
    ['zones without a prober', { dnsZones: [{ zone: 'gslb.example.com', parentZone: 'example.com' }] }, 'inputs.prober: missing'],
    ['a parent that is not a parent', { inputs: { prober: '127.0.0.1:7101' }, dnsZones: [{ zone: 'gslb.example.com', parentZone: 'example.org' }] }, 'dnsZones.0.parentZone'],
    ['a region list without this region', { regions: [{ geoTag: 'us' }] }, 'must include this region "eu"'],
    ['proximity naming an unknown region', { regions: [{ geoTag: 'eu', proximity: ['za'] }] }, 'regions.0.proximity.0'],
    ['a geo route to an unknown region', { geoCidrs: [{ cidr: '10.1.0.0/16', region: 'za' }] }, 'geoCidrs.0.region'],
    ['a geo route with host bits', { geoCidrs: [{ cidr: '10.1.2.3/16', region: 'eu' }] }, 'host bits set'],
    ['staleness limits out of order', { staleness: { freshForSeconds: 10, staleLimitSeconds: 5 } }, 'staleLimitSeconds'],
    ['an endpoint without a port', { inputs: { witness: 'witness' } }, 'inputs.witness'],
    ['a renew deadline longer than the lease', { kubernetes: { leaseDurationSeconds: 5, renewDeadlineSeconds: 6 } }, 'kubernetes.renewDeadlineSeconds'],
    ['an unknown field', { dnsZone: 'gslb.example.com' }, 'unknown field'],
  ])('rejects %s, naming the field', (_what, raw, message) => {
    expect(problems({ region: 'eu', ...raw })).toContain(message);
  });
});
