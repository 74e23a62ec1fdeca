import { geotagOfNameserver, nameserverName } from './delegation-names';

describe("k8gb's nameserver names", () => {
  it.each([
    ['eu', 'gslb.example.com', 'example.com', 'gslb-ns-eu-gslb.example.com'],
    ['us-east-1', 'cloud.example.com', 'example.com', 'gslb-ns-us-east-1-cloud.example.com'],
    ['za', 'gslb.apps.example.com', 'example.com', 'gslb-ns-za-gslb-apps.example.com'],
    ['eu', 'GSLB.Example.COM.', 'example.com.', 'gslb-ns-eu-gslb.example.com'],
  ])('region %s of %s (parent %s) is %s', (geotag, zone, parent, name) => {
    expect(nameserverName(geotag, { zone, parent })).toBe(name);
    expect(geotagOfNameserver(name, { zone, parent })).toBe(geotag.toLowerCase());
  });

  it.each([
    ['ns1.example.com'],
    ['gslb-ns-eu-other.example.com'],
    ['gslb-ns--gslb.example.com'],
    ['gslb-ns-eu-gslb.example.org'],
  ])('%s is not a region of gslb.example.com', (name) => {
    expect(geotagOfNameserver(name, { zone: 'gslb.example.com', parent: 'example.com' })).toBeUndefined();
  });

  it('refuses a zone that is not below its parent', () => {
    expect(() => nameserverName('eu', { zone: 'example.com', parent: 'example.com' })).toThrow('is not below its parent');
  });
});
