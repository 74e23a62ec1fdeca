import { RRType, rrTypeName } from '@meridian/dns-wire';
import { ZoneModel, type ZoneSpec } from './index';

const zone: ZoneSpec = {
  origin: 'gslb.example.com',
  nameservers: [{ name: 'gslb-ns-eu-gslb.example.com' }, { name: 'ns1.gslb.example.com', address: '10.0.0.1' }],
  records: [
    { name: 'app.gslb.example.com', type: 'A', data: '192.0.2.10' },
    { name: 'deep.a.b.gslb.example.com', type: 'TXT', data: ['hello', 'world'] },
    { name: 'www.gslb.example.com', type: 'CNAME', data: 'app.gslb.example.com' },
  ],
  delegations: [{ name: 'us._witness.gslb.example.com', nameservers: [{ name: 'gslb-ns-us-gslb.example.com' }] }],
  heartbeats: [{ name: 'eu._witness.gslb.example.com', region: 'eu' }],
};
const model = new ZoneModel(zone);
const beat = () => ({ sequence: 42, time: Date.UTC(2026, 10, 21, 12, 0, 0) });
const ask = (name: string, type: keyof typeof RRType) => {
  const a = model.answer(name, RRType[type], beat);
  const show = (rrs: typeof a.answers) => rrs.map((rr) => `${rr.name} ${rrTypeName(rr.type)}`).join(', ');
  return { rcode: a.rcode, aa: a.authoritative, answers: show(a.answers), authority: show(a.authorities), additional: show(a.additionals) };
};

describe('ZoneModel', () => {
  it.each<[string, string, keyof typeof RRType, Partial<ReturnType<typeof ask>>]>([
    ['an address', 'app.gslb.example.com', 'A', { rcode: 'NOERROR', aa: true, answers: 'app.gslb.example.com A' }],
    ['names match case-insensitively', 'APP.Gslb.Example.COM.', 'A', { rcode: 'NOERROR', answers: 'app.gslb.example.com A' }],
    ['NODATA for another type, with the SOA', 'app.gslb.example.com', 'AAAA', { rcode: 'NOERROR', answers: '', authority: 'gslb.example.com SOA' }],
    ['NXDOMAIN for a name that does not exist', 'nope.gslb.example.com', 'A', { rcode: 'NXDOMAIN', aa: true, authority: 'gslb.example.com SOA' }],
    ['NODATA, not NXDOMAIN, for an empty non-terminal (QNAME minimisation)', 'a.b.gslb.example.com', 'A', { rcode: 'NOERROR', answers: '' }],
    ['NODATA for _witness, the parent of the heartbeats', '_witness.gslb.example.com', 'A', { rcode: 'NOERROR', answers: '' }],
    ['a referral for a delegated heartbeat', 'us._witness.gslb.example.com', 'TXT', { rcode: 'NOERROR', aa: false, answers: '', authority: 'us._witness.gslb.example.com NS' }],
    ['a referral below a delegation too', 'x.us._witness.gslb.example.com', 'A', { aa: false, authority: 'us._witness.gslb.example.com NS' }],
    ['its own heartbeat, answered', 'eu._witness.gslb.example.com', 'TXT', { rcode: 'NOERROR', aa: true, answers: 'eu._witness.gslb.example.com TXT' }],
    ['apex NS with in-zone glue', 'gslb.example.com', 'NS', { answers: 'gslb.example.com NS, gslb.example.com NS', additional: 'ns1.gslb.example.com A' }],
    ['a CNAME for any other type', 'www.gslb.example.com', 'A', { answers: 'www.gslb.example.com CNAME' }],
    ['REFUSED outside the zone', 'example.org', 'A', { rcode: 'REFUSED', aa: false }],
  ])('%s', (_name, qname, type, expected) => {
    expect(ask(qname, type)).toMatchObject(expected);
  });

  it('writes the heartbeat in the canonical format, with a one-second TTL', () => {
    const [rr] = model.answer('eu._witness.gslb.example.com', RRType.TXT, beat).answers;
    expect(rr?.ttl).toBe(1);
    expect(rr?.data).toEqual({ kind: 'txt', texts: ['region=eu seq=42 time=2026-11-21T12:00:00.000Z'] });
  });
});
