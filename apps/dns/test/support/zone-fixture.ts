import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressFamily, RecordType, StrategyType, TargetSource, ZoneSnapshot, type AnswerPlan, type RecordSet, type Target, type Zone } from '@meridian/proto';

export const ORIGIN = 'gslb.example.com';

const v4 = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC });
const v6 = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_IPV6, source: TargetSource.TARGET_SOURCE_STATIC });
const name = (address: string): Target => ({ address, family: AddressFamily.ADDRESS_FAMILY_NAME, source: TargetSource.TARGET_SOURCE_STATIC });

function plan(variants: Target[][], selector: AnswerPlan['selector'], strategy = StrategyType.STRATEGY_TYPE_ROUND_ROBIN): AnswerPlan {
  return { strategy, variants: variants.map((targets) => ({ targets })), selector, failOpen: false };
}

export function hostSet(host: string, ttlSeconds: number, a?: AnswerPlan, aaaa?: AnswerPlan): RecordSet {
  return { name: `${host}.${ORIGIN}`, ttlSeconds, content: { $case: 'host', host: { a, aaaa } } };
}

export function staticSet(host: string, ttlSeconds: number, records: [RecordType, string][]): RecordSet {
  return {
    name: host === '' ? ORIGIN : `${host}.${ORIGIN}`,
    ttlSeconds,
    content: { $case: 'records', records: { records: records.map(([type, data]) => ({ type, data })) } },
  };
}

/** The rotations of a target list, as records' rotate selector sends them. */
function rotations(targets: Target[]): Target[][] {
  return targets.map((_, i) => [...targets.slice(i), ...targets.slice(0, i)]);
}

/**
 * The zone the integration tests serve: every kind of name the issue lists. Addresses are
 * documentation ranges (RFC 5737, RFC 3849); the geo map uses 10.x only as data.
 */
export function fixtureZone(): Zone {
  const app = [v4('192.0.2.10'), v4('192.0.2.11'), v4('192.0.2.12')];
  return {
    header: {
      origin: ORIGIN,
      soa: { mname: `ns1.${ORIGIN}`, rname: `hostmaster.${ORIGIN}`, refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 60 },
      nameservers: [`ns1.${ORIGIN}`, `ns2.${ORIGIN}`],
      nsTtlSeconds: 300,
      geoRoutes: [
        { cidr: '10.1.0.0/16', region: 'eu' },
        { cidr: '10.2.0.0/16', region: 'us' },
        { cidr: '2001:db8:1::/48', region: 'eu' },
      ],
    },
    recordSets: [
      staticSet('ns1', 300, [[RecordType.RECORD_TYPE_A, '192.0.2.53']]),
      staticSet('ns2', 300, [[RecordType.RECORD_TYPE_A, '192.0.2.54']]),
      hostSet('app', 30, plan(rotations(app), { $case: 'rotate', rotate: {} }), plan([[v6('2001:db8::10')]], { $case: 'single', single: {} })),
      hostSet(
        'geo',
        30,
        plan(
          [[v4('192.0.2.21')], [v4('192.0.2.22')], [v4('192.0.2.21'), v4('192.0.2.22')]],
          { $case: 'geo', geo: { variantByRegion: { eu: 0, us: 1 }, defaultVariant: 2 } },
          StrategyType.STRATEGY_TYPE_GEOIP,
        ),
      ),
      hostSet('weighted', 30, plan([[v4('192.0.2.31')], [v4('192.0.2.32')]], { $case: 'weighted', weighted: { weights: [1, 0] } })),
      hostSet('lb', 30, plan([[name('abc.elb.example.net')]], { $case: 'single', single: {} })),
      hostSet('down', 30, plan([[]], { $case: 'single', single: {} })),
      staticSet('localtargets-app', 30, [
        [RecordType.RECORD_TYPE_A, '192.0.2.10'],
        [RecordType.RECORD_TYPE_A, '192.0.2.11'],
      ]),
      staticSet('eu._witness', 5, [[RecordType.RECORD_TYPE_TXT, 'heartbeat region=eu seq=1']]),
      staticSet('us._witness', 300, [[RecordType.RECORD_TYPE_NS, `ns-us.us._witness.${ORIGIN}`]]),
      staticSet('ns-us.us._witness', 300, [[RecordType.RECORD_TYPE_A, '192.0.2.99']]),
      staticSet(
        'big',
        30,
        Array.from({ length: 40 }, (_, i): [RecordType, string] => [RecordType.RECORD_TYPE_A, `198.51.100.${i + 1}`]),
      ),
      staticSet('', 30, [[RecordType.RECORD_TYPE_TXT, 'v=meridian']]),
    ],
  };
}

export function fixtureSnapshot(): ZoneSnapshot {
  return { zones: [fixtureZone()] };
}

/** Writes the snapshot file the dns app loads with `snapshotFile`. */
export function writeSnapshotFile(version: number, snapshot: ZoneSnapshot = fixtureSnapshot()): string {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-dns-zone-'));
  const path = join(dir, 'zone.json');
  writeFileSync(path, JSON.stringify({ version, snapshot: ZoneSnapshot.toJSON(snapshot) }, null, 2));
  return path;
}
