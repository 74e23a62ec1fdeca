import { nullLogger } from '@meridian/logging';
import { DEFAULT_STALENESS_LIMITS, type StrategySpec } from '@meridian/strategies';
import { Registry } from 'prom-client';
import { RecordsEngine, RecordsMetrics, type HostReport, type RecordsSettings, type TargetReport, type VerdictReport } from '../src';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public now = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  nowMs(): number {
    return this.now;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

export function settings(overrides: Partial<RecordsSettings> = {}): RecordsSettings {
  return {
    localGeoTag: 'eu',
    regions: [
      { geoTag: 'eu', proximity: ['us'] },
      { geoTag: 'us', proximity: ['eu'] },
    ],
    zones: [
      {
        origin: 'gslb.example.com',
        parentZone: 'example.com',
        soa: { rname: '', refresh: 3600, retry: 600, expire: 86400, minimum: 30, ttlSeconds: 30 },
        nsTtlSeconds: 30,
      },
    ],
    nameserverPrefix: 'gslb-ns',
    geoCidrs: [
      { cidr: '10.1.0.0/16', geoTag: 'eu' },
      { cidr: '10.2.0.0/16', geoTag: 'us' },
    ],
    limits: DEFAULT_STALENESS_LIMITS,
    witnessHeartbeat: { intervalMs: 2000, ttlSeconds: 1, delegationTtlSeconds: 30 },
    reevaluateIntervalMs: 500,
    startupGraceMs: 3000,
    expectLocalTargets: true,
    expectRemoteTargets: false,
    expectVerdicts: false,
    ...overrides,
  };
}

export function target(address: string, healthy = true, family: TargetReport['family'] = address.includes(':') ? 'ipv6' : /^[\d.]+$/.test(address) ? 'ipv4' : 'name'): TargetReport {
  return { address, family, source: 'static', state: healthy ? 'Healthy' : 'Unhealthy', checks: [{ check: 'http', passed: healthy, message: healthy ? '200 OK' : 'connection refused', observedAtMs: 1, latencyMs: 3, consecutive: 1 }], changedAtMs: 1 };
}

export const FAILOVER_EU: StrategySpec = { type: 'failover', primaryGeoTag: 'eu', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', weightedMode: 'reorderAll' };
export const ROUND_ROBIN: StrategySpec = { type: 'roundRobin', dnsTtlSeconds: 30, whenAllUnhealthy: 'empty', weightedMode: 'reorderAll' };

export function host(name: string, targets: TargetReport[], spec: StrategySpec = ROUND_ROBIN, region = 'eu', observedAtMs = 0, gslb = 'apps/app'): HostReport {
  const healthy = targets.some((t) => t.state === 'Healthy');
  return { host: name, region, spec: { host: name, gslb, strategy: spec }, serviceHealth: healthy ? 'Healthy' : 'Unhealthy', targets, observedAtMs };
}

export function verdict(region: string, state: VerdictReport['state']): VerdictReport {
  return { region, state, lastDecided: state === 'UNKNOWN' ? undefined : state, quorum: 2, observers: 3, reachable: 0, unreachable: 0, evidence: [], decidedAtMs: 1, updatedAtMs: 1 };
}

export interface TestEngine {
  engine: RecordsEngine;
  clock: FakeClock;
  registry: Registry;
  metrics: RecordsMetrics;
}

/** An engine whose flushes run only when the test calls flush(). */
export function testEngine(overrides: Partial<RecordsSettings> = {}, clock = new FakeClock()): TestEngine {
  const registry = new Registry();
  const metrics = new RecordsMetrics(registry);
  const engine = new RecordsEngine({ settings: settings(overrides), clock, logger: nullLogger, metrics, schedule: () => undefined, sliceMs: Infinity });
  return { engine, clock, registry, metrics };
}
