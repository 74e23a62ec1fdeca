import {
  CidrGeoLocator,
  compileCidrTable,
  computePlan,
  createGeoMatch,
  createParsedAddress,
  createVariantChoice,
  parseAddress,
  selectVariant,
  type AnswerPlan,
  type GeoLocator,
} from './index';
import { inputs, region, spec } from '../test/support/fixtures';

const base: Omit<AnswerPlan, 'selector' | 'variants'> = {
  strategy: 'roundRobin',
  ttlSeconds: 30,
  failOpen: false,
  empty: false,
  fallback: 'none',
  decisions: [],
};
const variants = [[{ address: '10.0.0.1', family: 4 as const }], [{ address: '10.0.0.2', family: 4 as const }], [{ address: '10.0.0.3', family: 4 as const }]];

describe('selectVariant', () => {
  it.each<[string, AnswerPlan['selector'], number, number]>([
    ['single', { kind: 'single' }, 0.9, 0],
    ['rotate: 0 is the first rotation', { kind: 'rotate' }, 0, 0],
    ['rotate: uniform over the variants', { kind: 'rotate' }, 0.5, 1],
    ['rotate: just below 1 is the last', { kind: 'rotate' }, 0.9999, 2],
    ['rotate: a sloppy 1 is clamped', { kind: 'rotate' }, 1, 2],
    ['rotate: NaN is 0', { kind: 'rotate' }, NaN, 0],
    ['rotate: negative is 0', { kind: 'rotate' }, -0.5, 0],
    ['weighted: below the first weight', { kind: 'weighted', weights: [1, 2, 1] }, 0.2, 0],
    ['weighted: in the second weight', { kind: 'weighted', weights: [1, 2, 1] }, 0.25, 1],
    ['weighted: in the last weight', { kind: 'weighted', weights: [1, 2, 1] }, 0.9, 2],
    ['weighted: a sloppy 1 is the last', { kind: 'weighted', weights: [1, 2, 1] }, 1, 2],
  ])('%s', (_name, selector, random01, variant) => {
    expect(selectVariant({ ...base, variants, selector }, random01)).toEqual({ variant, ecsScope: 0 });
  });

  it('reuses the result object it is given', () => {
    const out = createVariantChoice();
    out.ecsScope = 99;
    const plan: AnswerPlan = { ...base, variants, selector: { kind: 'rotate' } };
    expect(selectVariant(plan, 0.5, undefined, { out })).toBe(out);
    expect(out).toEqual({ variant: 1, ecsScope: 0 });
  });

  describe('geo with a GeoLocator (e.g. MaxMind)', () => {
    const table = compileCidrTable([
      { cidr: '10.1.0.0/16', geoTag: 'eu' },
      { cidr: '10.2.0.0/16', geoTag: 'us' },
    ]);
    const plan = computePlan(inputs('eu', [region('eu'), region('us')], { spec: spec({ type: 'geoip' }) }));
    const fixed = (geoTag: string | undefined, scopePrefixLength: number): GeoLocator => ({
      locate: (_address, out) => Object.assign(out, { geoTag, scopePrefixLength }),
    });
    const client = parseAddress('203.0.113.5') ?? createParsedAddress();

    const all = ['10.0.1.1', '10.0.1.2', '10.0.2.1', '10.0.2.2'];

    it.each<[string, GeoLocator, string, string[], number]>([
      ['a located region', fixed('us', 24), '203.0.113.5', ['10.0.2.1', '10.0.2.2'], 24],
      ['an unlocated client gets the default, with the locator scope', fixed(undefined, 8), '203.0.113.5', all, 8],
      ['a region the plan does not know gets the default', fixed('mars', 16), '203.0.113.5', all, 16],
      ['an inherited property name is not a region', fixed('constructor', 16), '203.0.113.5', all, 16],
      ['the CIDR locator', new CidrGeoLocator(table), '10.1.9.9', ['10.0.1.1', '10.0.1.2'], 16],
    ])('%s', (_name, locator, clientText, addresses, scope) => {
      const address = parseAddress(clientText) ?? createParsedAddress();
      const choice = selectVariant(plan, 0, address, { locator, geoMatch: createGeoMatch() });
      expect((plan.variants[choice.variant] ?? []).map((t) => t.address)).toEqual(addresses);
      expect(choice.ecsScope).toBe(scope);
    });

    it('allocates its own scratch match when none is given', () => {
      const choice = selectVariant(plan, 0, client, { locator: fixed('eu', 20) });
      expect((plan.variants[choice.variant] ?? []).map((t) => t.address)).toEqual(['10.0.1.1', '10.0.1.2']);
      expect(choice.ecsScope).toBe(20);
    });
  });
});
