import { HealthState, type HostHealth } from '@meridian/proto';

export function host(name: string, addresses: string[], observedAt = new Date('2026-11-21T12:00:00Z')): HostHealth {
  return {
    host: name,
    region: 'ignored',
    spec: undefined,
    serviceHealth: addresses.length ? HealthState.HEALTH_STATE_HEALTHY : HealthState.HEALTH_STATE_UNHEALTHY,
    targets: addresses.map((address) => ({ target: { address, family: 1, source: 5 }, state: HealthState.HEALTH_STATE_HEALTHY, checks: [], changedAt: undefined })),
    observedAt,
  };
}

export function addresses(health: HostHealth | undefined): string[] | undefined {
  return health?.targets.map((t) => t.target?.address ?? '');
}
