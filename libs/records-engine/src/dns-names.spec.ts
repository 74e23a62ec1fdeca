import { localTargetsName, nameserverName, normalizeName, witnessName, ZoneIndex } from './dns-names';
import { formatWitnessHeartbeat, parseWitnessHeartbeat } from './witness-heartbeat';

describe("k8gb's nameserver names", () => {
  it.each([
    // k8gb's own examples: cloud.example.com from example.com → gslb-ns-eu-cloud.example.com
    ['gslb-ns', 'eu', 'cloud.example.com', 'example.com', 'gslb-ns-eu-cloud.example.com'],
    ['gslb-ns', 'us', 'cloud.k8gb.io', 'k8gb.io', 'gslb-ns-us-cloud.k8gb.io'],
    ['gslb-ns', 'eu', 'gslb.example.com', 'example.com', 'gslb-ns-eu-gslb.example.com'],
    ['gslb-ns', 'us-east-1', 'apps.prod.example.com', 'example.com', 'gslb-ns-us-east-1-apps-prod.example.com'],
    ['ns', 'za', 'gslb.example.co.za', 'example.co.za', 'ns-za-gslb.example.co.za'],
  ])('%s, region %s, zone %s delegated from %s → %s', (prefix, geoTag, zone, parent, expected) => {
    expect(nameserverName(prefix, geoTag, zone, parent)).toBe(expected);
  });
});

describe('zone names', () => {
  it.each([
    ['App.GSLB.example.com.', 'app.gslb.example.com'],
    [' app.gslb.example.com ', 'app.gslb.example.com'],
  ])('normalizes %p', (input, expected) => expect(normalizeName(input)).toBe(expected));

  it("names k8gb's localtargets- and the witness heartbeat as k8gb and the design say", () => {
    expect(localTargetsName('app.gslb.example.com')).toBe('localtargets-app.gslb.example.com');
    expect(witnessName('eu', 'gslb.example.com')).toBe('eu._witness.gslb.example.com');
  });

  it.each([
    ['app.gslb.example.com', 'gslb.example.com'],
    ['app.eu.gslb.example.com', 'eu.gslb.example.com'],
    ['eu.gslb.example.com', 'eu.gslb.example.com'],
    ['app.example.org', undefined],
    ['xgslb.example.com', undefined],
  ])('puts %s in zone %s (the longest that holds it)', (host, zone) => {
    expect(new ZoneIndex(['gslb.example.com', 'eu.gslb.example.com']).zoneOf(host)).toBe(zone);
  });
});

describe('witness heartbeat text', () => {
  it('round-trips', () => {
    const hb = { sequence: 1795292779758001, timeMs: Date.UTC(2026, 10, 21, 12, 0, 0, 250), region: 'eu' };
    expect(formatWitnessHeartbeat(hb)).toBe('region=eu seq=1795292779758001 time=2026-11-21T12:00:00.250Z');
    expect(parseWitnessHeartbeat(formatWitnessHeartbeat(hb))).toEqual(hb);
  });

  it.each(['', 'region=eu seq=1 time=yesterday', 'region=eu seq=x time=2026-11-21T12:00:00Z', 'hello'])('rejects %p', (text) => {
    expect(parseWitnessHeartbeat(text)).toBeUndefined();
  });
});
