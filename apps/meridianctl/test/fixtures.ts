import {
  AddressFamily,
  ExplainResponse,
  HealthState,
  StrategyType,
  VerdictState,
  WatchVerdictsResponse,
  WatchZoneResponse,
  WhenAllUnhealthy,
  type RegionVerdict,
} from '@meridian/proto';

export function verdict(region: string, state: VerdictState): RegionVerdict {
  return { region, state, lastDecided: state, quorum: 2, observers: 3, reachable: state === VerdictState.VERDICT_STATE_ALIVE ? 3 : 0, unreachable: 0, evidence: [], decidedAt: undefined, updatedAt: undefined };
}

/** Failover with primary eu, eu's app failing its HTTP check: the answer is us's target. */
export const failoverExplain: ExplainResponse = ExplainResponse.fromPartial({
  host: 'failover.gslb.example.com',
  zone: 'gslb.example.com',
  zoneVersion: 42,
  spec: {
    host: 'failover.gslb.example.com',
    gslb: 'demo/failover',
    strategy: { type: StrategyType.STRATEGY_TYPE_FAILOVER, primaryGeoTags: ['eu'], dnsTtlSeconds: 30, whenAllUnhealthy: WhenAllUnhealthy.WHEN_ALL_UNHEALTHY_FAIL_OPEN },
  },
  regions: [
    {
      region: 'eu',
      local: true,
      used: false,
      reason: 'primary, but no healthy target',
      verdict: verdict('eu', VerdictState.VERDICT_STATE_ALIVE),
      targets: [
        {
          target: { address: '127.0.0.11', family: AddressFamily.ADDRESS_FAMILY_IPV4 },
          state: HealthState.HEALTH_STATE_UNHEALTHY,
          checks: [{ check: 'http', passed: false, message: 'HTTP 503 from /healthz', consecutive: 3 }],
        },
      ],
    },
    {
      region: 'us',
      local: false,
      used: true,
      reason: 'next in failover order, healthy',
      verdict: verdict('us', VerdictState.VERDICT_STATE_ALIVE),
      targets: [
        {
          target: { address: '127.0.0.21', family: AddressFamily.ADDRESS_FAMILY_IPV4 },
          state: HealthState.HEALTH_STATE_HEALTHY,
          checks: [{ check: 'http', passed: true, message: 'HTTP 200 from /healthz', consecutive: 1 }],
        },
      ],
    },
  ],
  answer: [{ address: '127.0.0.21', family: AddressFamily.ADDRESS_FAMILY_IPV4 }],
  ttlSeconds: 30,
  ecsScope: 0,
  failOpen: false,
  summary: 'eu is primary but unhealthy; failing over to us',
});

export const zoneSnapshotMessage: WatchZoneResponse = WatchZoneResponse.fromPartial({
  epoch: 'e1',
  version: 42,
  event: {
    $case: 'snapshot',
    snapshot: {
      zones: [
        {
          header: { origin: 'gslb.example.com' },
          recordSets: [
            {
              name: 'failover.gslb.example.com',
              ttlSeconds: 30,
              content: {
                $case: 'host',
                host: { a: { strategy: StrategyType.STRATEGY_TYPE_FAILOVER, variants: [{ targets: [{ address: '127.0.0.21', family: AddressFamily.ADDRESS_FAMILY_IPV4 }] }], selector: { $case: 'single', single: {} } } },
              },
            },
            {
              name: 'roundrobin.gslb.example.com',
              ttlSeconds: 30,
              content: {
                $case: 'host',
                host: {
                  a: {
                    strategy: StrategyType.STRATEGY_TYPE_ROUND_ROBIN,
                    variants: [{ targets: [{ address: '127.0.0.11' }, { address: '127.0.0.21' }] }, { targets: [{ address: '127.0.0.21' }, { address: '127.0.0.11' }] }],
                    selector: { $case: 'rotate', rotate: {} },
                  },
                },
              },
            },
            { name: 'heartbeat-eu.gslb.example.com', ttlSeconds: 5, content: { $case: 'records', records: { records: [{ data: '1' }] } } },
          ],
        },
      ],
    },
  },
});

export const verdictsSnapshotMessage: WatchVerdictsResponse = WatchVerdictsResponse.fromPartial({
  epoch: 'w1',
  version: 7,
  event: { $case: 'snapshot', snapshot: { verdicts: [verdict('eu', VerdictState.VERDICT_STATE_ALIVE), verdict('us', VerdictState.VERDICT_STATE_DOWN)] } },
});
