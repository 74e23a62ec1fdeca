import type { Observation, RegionVerdict, VerdictState } from '@meridian/witness-quorum';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const STATES: readonly VerdictState[] = ['ALIVE', 'DOWN', 'UNKNOWN'];

/**
 * The witness's metrics: the split-brain names operators already alert on
 * (`splitbrain_*`, as k8gb's failover controller exports them) and Meridian's own.
 */
export class WitnessMetrics {
  private readonly witnessReachable: Gauge<'witness'>;
  private readonly quorumReached: Gauge<'region'>;
  private readonly promotions: Counter<'region'>;
  private readonly verdictState: Gauge<'region' | 'state'>;
  private readonly verdictChanges: Counter<'region' | 'state'>;
  private readonly observationLatency: Histogram<'observer' | 'kind'>;
  private readonly observations: Counter<'observer' | 'region' | 'result'>;
  private readonly roundDuration: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.witnessReachable = new Gauge({
      name: 'splitbrain_witness_reachable',
      help: '1 when the witness (resolver or peer witness) answered in the latest round, else 0.',
      labelNames: ['witness'],
      registers,
    });
    this.quorumReached = new Gauge({
      name: 'splitbrain_quorum_reached',
      help: '1 when a quorum of witnesses agrees on the region (ALIVE or DOWN), 0 when there is none (UNKNOWN).',
      labelNames: ['region'],
      registers,
    });
    this.promotions = new Counter({
      name: 'splitbrain_promotions_total',
      help: 'Decisions that the region is DOWN: each one lets other regions take over its traffic.',
      labelNames: ['region'],
      registers,
    });
    this.verdictState = new Gauge({
      name: 'meridian_witness_verdict_state',
      help: '1 for the current verdict on the region (state ALIVE, DOWN or UNKNOWN), 0 for the others.',
      labelNames: ['region', 'state'],
      registers,
    });
    this.verdictChanges = new Counter({
      name: 'meridian_witness_verdict_changes_total',
      help: 'Changes of the verdict on the region, by the state it changed to.',
      labelNames: ['region', 'state'],
      registers,
    });
    this.observationLatency = new Histogram({
      name: 'meridian_witness_observation_latency_seconds',
      help: 'Time from asking a witness about a heartbeat to its answer (or to giving up).',
      labelNames: ['observer', 'kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.observations = new Counter({
      name: 'meridian_witness_observations_total',
      help: 'Observations of region heartbeats, by observer and result (FRESH, STALE, FAILED).',
      labelNames: ['observer', 'region', 'result'],
      registers,
    });
    this.roundDuration = new Histogram({
      name: 'meridian_witness_round_duration_seconds',
      help: 'Time one observation round takes, every witness asked about every region.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  /** Starts every series of the judged regions at UNKNOWN, so dashboards see them from the start. */
  init(regions: readonly string[], observers: readonly string[]): void {
    for (const region of regions) {
      for (const state of STATES) this.verdictState.set({ region, state }, state === 'UNKNOWN' ? 1 : 0);
      this.quorumReached.set({ region }, 0);
      this.promotions.inc({ region }, 0);
    }
    for (const witness of observers) this.witnessReachable.set({ witness }, 0);
  }

  observed(observation: Observation): void {
    this.observationLatency.observe({ observer: observation.observer, kind: observation.kind }, observation.latencyMs / 1000);
    this.observations.inc({ observer: observation.observer, region: observation.region, result: observation.result });
  }

  witnessAnswered(witness: string, answered: boolean): void {
    this.witnessReachable.set({ witness }, answered ? 1 : 0);
  }

  verdict(verdict: RegionVerdict): void {
    for (const state of STATES) this.verdictState.set({ region: verdict.region, state }, verdict.state === state ? 1 : 0);
    const reached = verdict.reachable >= verdict.quorum || verdict.unreachable >= verdict.quorum;
    this.quorumReached.set({ region: verdict.region }, reached ? 1 : 0);
  }

  changed(region: string, to: VerdictState, decidedDown: boolean): void {
    this.verdictChanges.inc({ region, state: to });
    if (decidedDown) this.promotions.inc({ region });
  }

  round(seconds: number): void {
    this.roundDuration.observe(seconds);
  }
}
