import { planDelegation, type CurrentDelegation } from './delegation-plan';

const desired = { zone: 'gslb.example.com', nameserver: 'gslb-ns-eu-gslb.example.com', addresses: ['192.0.2.1', '2001:db8::1'], ttlSeconds: 30 };
const others = ['gslb-ns-us-gslb.example.com'];

describe('planDelegation', () => {
  it.each<[string, CurrentDelegation, string[]]>([
    ['an empty parent zone', { nameservers: [], ipv4: [], ipv6: [] }, ['add gslb.example.com NS gslb-ns-eu-gslb.example.com', 'add gslb-ns-eu-gslb.example.com A 192.0.2.1', 'add gslb-ns-eu-gslb.example.com AAAA 2001:db8::1']],
    ['everything in place, among other regions', { nameservers: [...others, 'gslb-ns-eu-gslb.example.com'], ipv4: ['192.0.2.1'], ipv6: ['2001:db8::1'] }, []],
    ['the same, spelled differently', { nameservers: ['GSLB-NS-EU-GSLB.EXAMPLE.COM.'], ipv4: ['192.0.2.1'], ipv6: ['2001:DB8:0::1'] }, []],
    ['only the NS record missing', { nameservers: others, ipv4: ['192.0.2.1'], ipv6: ['2001:db8::1'] }, ['add gslb.example.com NS gslb-ns-eu-gslb.example.com']],
    ['an old glue address', { nameservers: ['gslb-ns-eu-gslb.example.com'], ipv4: ['192.0.2.9', '192.0.2.1'], ipv6: ['2001:db8::1'] }, ['delete gslb-ns-eu-gslb.example.com A 192.0.2.9']],
  ])('for %s', (_name, current, plan) => {
    expect(planDelegation(desired, current).map((u) => `${u.op} ${u.name} ${u.type} ${u.data}`)).toEqual(plan);
  });

  it("never plans a change to another region's records", () => {
    const plan = planDelegation({ ...desired, addresses: [] }, { nameservers: others, ipv4: ['192.0.2.1'], ipv6: [] });
    expect(plan.every((u) => u.name === 'gslb-ns-eu-gslb.example.com' || (u.type === 'NS' && u.op === 'add' && u.data === desired.nameserver))).toBe(true);
  });
});
