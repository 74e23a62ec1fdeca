import { AddressFamily, RecordType, StrategyType, TargetSource, type AnswerPlan, type RecordSet, type Target, type Zone, type ZoneHeader } from '@meridian/proto';

export const ORIGIN = 'example.test';

export const v4 = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC });
export const v6 = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_IPV6, source: TargetSource.TARGET_SOURCE_STATIC });
export const cname = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_NAME, source: TargetSource.TARGET_SOURCE_STATIC });

export function plan(variants: Target[][], selector: AnswerPlan['selector'] = { $case: 'single', single: {} }): AnswerPlan {
  return { strategy: StrategyType.STRATEGY_TYPE_ROUND_ROBIN, variants: variants.map((targets) => ({ targets })), selector, failOpen: false };
}

export function host(name: string, a?: AnswerPlan, aaaa?: AnswerPlan, ttlSeconds = 30): RecordSet {
  return { name: `${name}.${ORIGIN}`, ttlSeconds, content: { $case: 'host', host: { a, aaaa } } };
}

export function records(name: string, list: [RecordType, string][], ttlSeconds = 60): RecordSet {
  return { name: name ? `${name}.${ORIGIN}` : ORIGIN, ttlSeconds, content: { $case: 'records', records: { records: list.map(([type, data]) => ({ type, data })) } } };
}

export function header(origin = ORIGIN): ZoneHeader {
  return {
    origin,
    soa: { mname: `ns1.${origin}`, rname: `hostmaster.${origin}`, refresh: 3600, retry: 600, expire: 86400, minimum: 20, ttlSeconds: 120 },
    nameservers: [`ns1.${origin}`],
    nsTtlSeconds: 300,
    geoRoutes: [
      { cidr: '10.1.0.0/16', region: 'eu' },
      { cidr: '10.2.0.0/16', region: 'us' },
    ],
  };
}

export function zone(): Zone {
  return {
    header: header(),
    recordSets: [
      records('ns1', [[RecordType.RECORD_TYPE_A, '192.0.2.53']]),
      host('www', plan([[v4('192.0.2.1'), v4('192.0.2.2')], [v4('192.0.2.2'), v4('192.0.2.1')]], { $case: 'rotate', rotate: {} }), plan([[v6('2001:db8::1')]])),
      host('geo', plan([[v4('192.0.2.11')], [v4('192.0.2.12')], [v4('192.0.2.13')]], { $case: 'geo', geo: { variantByRegion: { eu: 0, us: 1 }, defaultVariant: 2 } })),
      host('alias', plan([[cname('target.example.net')]])),
      host('broken', plan([[v4('192.0.2.1')], [v4('192.0.2.2')]], { $case: 'weighted', weighted: { weights: [1] } })),
      records('a.b.c', [[RecordType.RECORD_TYPE_TXT, 'deep']]),
      records('sub', [[RecordType.RECORD_TYPE_NS, `ns.sub.${ORIGIN}`]]),
      records('ns.sub', [[RecordType.RECORD_TYPE_A, '192.0.2.77']]),
      records('many', Array.from({ length: 40 }, (_, i): [RecordType, string] => [RecordType.RECORD_TYPE_A, `198.51.100.${i + 1}`])),
    ],
  };
}
