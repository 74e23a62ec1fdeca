import { AddressFamily, HealthState, StrategyType, TargetSource, VerdictState, WeightedMode, WhenAllUnhealthy, type HostHealth, type RegionVerdict, type Strategy } from '@meridian/proto';

export const ZONE = 'gslb.example.com';

export function strategy(type: StrategyType = StrategyType.STRATEGY_TYPE_ROUND_ROBIN, primary: string[] = []): Strategy {
  return {
    type,
    primaryGeoTags: primary,
    weights: {},
    weightedMode: WeightedMode.WEIGHTED_MODE_REORDER_ALL,
    dnsTtlSeconds: 30,
    whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_EMPTY,
  };
}

/** A host as the prober (or a peer) reports it: `addresses` maps each address to its health. */
export function hostHealth(host: string, addresses: Record<string, boolean>, options: { region?: string; strategy?: Strategy; gslb?: string } = {}): HostHealth {
  const entries = Object.entries(addresses);
  return {
    host,
    region: options.region ?? 'eu',
    spec: { host, gslb: options.gslb ?? 'demo/app', strategy: options.strategy ?? strategy() },
    serviceHealth: entries.some(([, ok]) => ok) ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
    targets: entries.map(([address, ok]) => ({
      target: { address, family: address.includes(':') ? AddressFamily.ADDRESS_FAMILY_IPV6 : AddressFamily.ADDRESS_FAMILY_IPV4, source: TargetSource.TARGET_SOURCE_STATIC },
      state: ok ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
      checks: [{ check: 'http', passed: ok, message: ok ? 'HTTP 200' : 'HTTP 503', observedAt: new Date(), latencyMs: 2, consecutive: 3 }],
      changedAt: new Date(),
    })),
    observedAt: new Date(),
  };
}

export function regionVerdict(region: string, state: VerdictState): RegionVerdict {
  return { region, state, lastDecided: state, quorum: 2, observers: 3, reachable: state === VerdictState.VERDICT_STATE_ALIVE ? 3 : 0, unreachable: 0, evidence: [], decidedAt: new Date(), updatedAt: new Date() };
}

/** A records config for region eu, zone gslb.example.com, regions eu and us. */
export function recordsConfig(inputs: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region: 'eu',
    streams: { heartbeatSeconds: 0.2 },
    regions: [
      { geoTag: 'eu', proximity: ['us'] },
      { geoTag: 'us', proximity: ['eu'] },
    ],
    dnsZones: [{ zone: ZONE, parentZone: 'example.com' }],
    geoCidrs: [
      { cidr: '10.1.0.0/16', region: 'eu' },
      { cidr: '10.2.0.0/16', region: 'us' },
    ],
    inputs: { heartbeatTimeoutSeconds: 1, startupGraceSeconds: 1, ...inputs },
    ...extra,
  };
}
