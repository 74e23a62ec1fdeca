import { compileCidrTable, computePlan, parseAddress, selectVariant, type RegionInput, type StrategySpec } from './index';
import { addressesOf, inputs, region, spec, target } from '../test/support/fixtures';

const geo = compileCidrTable([
  { cidr: '10.1.0.0/16', geoTag: 'eu' },
  { cidr: '10.2.0.0/16', geoTag: 'us' },
  { cidr: '10.3.0.0/16', geoTag: 'za' },
  { cidr: '10.4.0.0/16', geoTag: 'ap' },
  { cidr: '2001:db8:1::/48', geoTag: 'eu' },
]);
const geoip = (proximity?: StrategySpec['proximity']): StrategySpec => spec({ type: 'geoip', ...(proximity ? { proximity } : {}) });
const choose = (regions: RegionInput[], client: string | undefined, strategy = geoip({ za: ['eu', 'us'], ap: ['za'] })) => {
  const plan = computePlan(inputs('eu', regions, { spec: strategy, geo }));
  const choice = selectVariant(plan, 0.5, client === undefined ? undefined : parseAddress(client));
  return { plan, addresses: (plan.variants[choice.variant] ?? []).map((t) => t.address), ecsScope: choice.ecsScope };
};

describe('geoip', () => {
  it.each<[string, RegionInput[], string | undefined, string[], number]>([
    ['client in eu gets eu', [region('eu'), region('us'), region('za')], '10.1.7.7', ['eu'], 16],
    ['client in us gets us', [region('eu'), region('us'), region('za')], '10.2.7.7', ['us'], 16],
    ['IPv6 client in eu gets eu', [region('eu'), region('us'), region('za')], '2001:db8:1::9', ['eu'], 48],
    ['za unhealthy: its nearest healthy region (eu)', [region('eu'), region('us'), region('za', { healthy: false })], '10.3.0.1', ['eu'], 16],
    [
      'za and eu unhealthy: the next by proximity (us)',
      [region('ap'), region('eu', { healthy: false }), region('us'), region('za', { healthy: false })],
      '10.3.0.1',
      ['us'],
      16,
    ],
    ['ap unknown here, nearest za healthy', [region('eu'), region('us'), region('za')], '10.4.0.1', ['za'], 16],
    [
      'us unhealthy and no proximity for us: all healthy',
      [region('eu'), region('us', { healthy: false }), region('za')],
      '10.2.0.1',
      ['eu', 'za'],
      16,
    ],
    // No match: the default answer, with the scope of the part of the address space that gives it.
    ['client in no known region: all healthy', [region('eu'), region('us'), region('za')], '192.0.2.1', ['eu', 'us', 'za'], 1],
    ['no client address: all healthy, scope 0', [region('eu'), region('us'), region('za')], undefined, ['eu', 'us', 'za'], 0],
    // Only one possible answer: nothing depends on the subnet.
    ['one region healthy: single answer, scope 0', [region('eu'), region('us', { healthy: false })], '10.2.0.1', ['eu'], 0],
  ])('%s', (_name, regions, client, answer, scope) => {
    const { addresses, ecsScope } = choose(regions, client);
    expect(addresses).toEqual(addressesOf(...answer));
    expect(ecsScope).toBe(scope);
  });

  it('keeps one variant per distinct answer, and a region map for GeoLocators', () => {
    const { plan } = choose([region('eu'), region('us'), region('za', { healthy: false })], '10.3.0.1');
    expect(plan.variants.map((v) => v.map((t) => t.address))).toEqual([addressesOf('eu', 'us'), addressesOf('eu'), addressesOf('us')]);
    expect(plan.selector).toMatchObject({
      kind: 'geo',
      defaultVariant: 0,
      // eu, us, za → eu (nearest), ap → za unhealthy, nothing nearer: all healthy
      regionVariant: [1, 2, 1, 0],
      variantByGeoTag: { eu: 1, us: 2, za: 1, ap: 0 },
    });
    expect(plan.decisions.map((d) => d.used)).toEqual([true, true, false]);
  });

  it('without a CIDR table every client gets the default unless a GeoLocator is passed', () => {
    const plan = computePlan(inputs('eu', [region('eu'), region('us')], { spec: geoip() }));
    expect(plan.selector).toMatchObject({ kind: 'geo', regionVariant: [], variantByGeoTag: { eu: 1, us: 2 } });
    expect('table' in plan.selector).toBe(false);
    expect(selectVariant(plan, 0, parseAddress('10.1.0.1'))).toEqual({ variant: 0, ecsScope: 0 });
  });

  it('the plan survives JSON (records → dns)', () => {
    const { plan } = choose([region('eu'), region('us'), region('za')], undefined);
    const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
    expect(selectVariant(copy, 0, parseAddress('10.2.0.1'))).toEqual(selectVariant(plan, 0, parseAddress('10.2.0.1')));
  });

  it('only planned-family targets count (a v6-only region has no A answer)', () => {
    const regions = [region('eu', { targets: [target('2001:db8:1::10')] }), region('us')];
    const plan = computePlan(inputs('eu', regions, { spec: geoip(), geo, family: 4 }));
    const choice = selectVariant(plan, 0, parseAddress('10.1.0.1'));
    expect((plan.variants[choice.variant] ?? []).map((t) => t.address)).toEqual(addressesOf('us'));
  });
});
