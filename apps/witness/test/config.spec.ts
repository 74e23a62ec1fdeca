import { join } from 'node:path';
import { loadConfig } from '@meridian/config';
import { witnessConfigSchema, witnessSettings } from '../src/config';

const example = (region: string) => join(__dirname, '..', 'config', `example-${region}.yaml`);
const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(witnessConfigSchema, { argv, env });

describe('witness configuration', () => {
  it('judges nothing without a witness section (the process defaults)', () => {
    const settings = witnessSettings(load([]));
    expect(settings.options.judged).toEqual([]);
    expect(settings.options.intervalMs).toBe(1000);
  });

  it.each([
    ['eu', 'us', 7103, 9103],
    ['us', 'eu', 7203, 9203],
  ])('reads the %s demo example: judges %s through its peer witness alone', (region, other, grpcPort, metricsPort) => {
    const config = load(['--config', example(region)]);
    expect(config).toMatchObject({ region, grpc: { port: grpcPort }, metrics: { port: metricsPort } });
    const settings = witnessSettings(config);
    expect(settings.options.judged).toEqual([{ region: other, name: `${other}._witness.gslb.example.com` }]);
    expect(settings.options.observed.map((t) => t.region)).toEqual(['eu', 'us']);
    expect(settings.peers.map((p) => [p.region, p.address])).toEqual([[other, `127.0.0.1:${other === 'eu' ? 7103 : 7203}`]]);
    expect(settings.options.policy).toEqual({ observers: 1, quorum: 1, downAfterMs: 3000, aliveAfterMs: 2000, evidenceMaxAgeMs: 4500 });
  });

  it('derives the default quorum (a majority) and evidence age from the observers and intervals', () => {
    const config = witnessConfigSchema.parse({
      region: 'us',
      witness: {
        zone: 'gslb.example.com',
        regions: [{ geotag: 'eu', heartbeatName: 'beat.eu.example.net' }, { geotag: 'ap' }],
        resolvers: [{ address: '192.0.2.1:53' }, { address: '[2001:db8::53]:53' }, { address: '192.0.2.3:5353' }],
        peers: [{ region: 'eu', address: '10.0.0.1:7103' }],
        intervalSeconds: 2,
        timeoutSeconds: 1,
      },
    });
    const settings = witnessSettings(config);
    expect(settings.options.judged).toEqual([
      { region: 'eu', name: 'beat.eu.example.net' },
      { region: 'ap', name: 'ap._witness.gslb.example.com' },
    ]);
    expect(settings.options.policy).toMatchObject({ observers: 4, quorum: 3, evidenceMaxAgeMs: 7000 });
    expect(settings.resolvers.map((r) => r.server)).toEqual([
      { host: '192.0.2.1', port: 53 },
      { host: '2001:db8::53', port: 53 },
      { host: '192.0.2.3', port: 5353 },
    ]);
  });

  it('takes overrides from MERIDIAN_* variables', () => {
    const config = load(['--config', example('eu')], { MERIDIAN_WITNESS__INTERVAL_SECONDS: '0.5', MERIDIAN_WITNESS__QUORUM: '1' });
    expect(witnessSettings(config).options.intervalMs).toBe(500);
  });

  it.each([
    [{ regions: [{ geotag: 'eu' }, { geotag: 'eu' }], zone: 'gslb.example.com', resolvers: [{ address: '192.0.2.1:53' }] }, 'witness.regions.1.geotag', 'is listed twice'],
    [{ peers: [{ region: 'us', address: '10.0.0.1:7203' }] }, 'witness.peers.0.region', "is this witness's own region"],
    [{ peers: [{ region: 'eu', address: '10.0.0.1:7103', tls: { caFile: '/ca.pem', certFile: '/c.pem' } }] }, 'witness.peers.0.tls.keyFile', 'certFile and keyFile go together'],
  ])('rejects %j', (witness, path, message) => {
    const result = witnessConfigSchema.safeParse({ region: 'us', witness });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues.join('\n')).toContain(`${path}: ${message}`);
  });
});
