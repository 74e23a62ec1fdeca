import type { Logger } from '@meridian/logging';
import type { VerdictsDelta, VerdictsSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { decideVerdict, initialVerdict, type Observation, type QuorumPolicy, type RegionVerdict, type VerdictChange } from '@meridian/witness-quorum';
import { verdictToProto } from './verdict-proto';
import type { WitnessMetrics } from './witness-metrics';

export interface VerdictBoardOptions {
  readonly regions: readonly string[];
  readonly policy: QuorumPolicy;
  readonly logger: Logger;
  readonly metrics: WitnessMetrics;
  readonly nowMs: number;
}

/**
 * The verdict on every judged region. Each round's observations go in; each change of a
 * verdict's state is logged with its evidence and counted, and each material change (state,
 * counts, or an observer's result — not a heartbeat merely moving on) is published on
 * `stream` (a snapshot for new subscribers, then one delta per round that changed anything)
 * for `records`.
 */
export class VerdictBoard {
  readonly stream: VersionedStream<VerdictsSnapshot, VerdictsDelta>;
  private readonly verdicts = new Map<string, RegionVerdict>();
  /** The latest observation of each observer, per region. */
  private readonly evidence = new Map<string, Map<string, Observation>>();

  constructor(private readonly options: VerdictBoardOptions) {
    for (const region of options.regions) {
      this.verdicts.set(region, initialVerdict(region, options.policy, options.nowMs));
      this.evidence.set(region, new Map());
    }
    this.stream = new VersionedStream<VerdictsSnapshot, VerdictsDelta>({ snapshot: () => ({ verdicts: this.list().map(verdictToProto) }) });
  }

  list(): RegionVerdict[] {
    return [...this.verdicts.values()];
  }

  get(region: string): RegionVerdict | undefined {
    return this.verdicts.get(region);
  }

  /** Takes one round of observations and re-judges every region; returns the changes. */
  apply(observations: readonly Observation[], nowMs: number): VerdictChange[] {
    for (const o of observations) this.evidence.get(o.region)?.set(o.observer, o);
    const changes: VerdictChange[] = [];
    const changed: RegionVerdict[] = [];
    for (const [region, previous] of this.verdicts) {
      const decision = decideVerdict(previous, [...(this.evidence.get(region)?.values() ?? [])], nowMs, this.options.policy);
      this.verdicts.set(region, decision.verdict);
      if (materialKey(decision.verdict) !== materialKey(previous)) changed.push(decision.verdict);
      this.options.metrics.verdict(decision.verdict);
      if (decision.pendingStarted) {
        this.options.logger.info('verdict change pending', {
          region,
          state: decision.verdict.state,
          towards: decision.pendingStarted.state,
          reason: decision.reason,
          evidence: decision.verdict.evidence.map(evidenceFields),
        });
      }
      if (decision.change) {
        changes.push(decision.change);
        this.record(decision.change, decision.verdict);
      }
    }
    if (changed.length > 0) this.stream.publish({ changed: changed.map(verdictToProto) });
    return changes;
  }

  private record(change: VerdictChange, verdict: RegionVerdict): void {
    const decidedDown = change.to.lastDecided === 'DOWN' && change.from.lastDecided !== 'DOWN';
    this.options.metrics.changed(change.region, change.to.state, decidedDown);
    const log = change.to.state === 'DOWN' ? this.options.logger.warn.bind(this.options.logger) : this.options.logger.info.bind(this.options.logger);
    log('verdict changed', {
      region: change.region,
      from: change.from.state,
      to: change.to.state,
      lastDecided: change.to.lastDecided,
      reason: change.reason,
      quorum: verdict.quorum,
      observers: verdict.observers,
      reachable: verdict.reachable,
      unreachable: verdict.unreachable,
      evidence: change.evidence.map(evidenceFields),
    });
  }
}

/** What subscribers must hear about: everything but times and heartbeat sequences. */
function materialKey(v: RegionVerdict): string {
  const evidence = v.evidence.map((o) => `${o.observer}:${o.result}:${o.observerAnswered ? 'y' : 'n'}`).join(',');
  return `${v.state}|${v.lastDecided}|${v.reachable}|${v.unreachable}|${evidence}`;
}

function evidenceFields(o: Observation): Record<string, unknown> {
  return {
    observer: o.observer,
    kind: o.kind,
    result: o.result,
    counted: o.observerAnswered,
    reason: o.reason,
    observedAt: new Date(o.observedAt).toISOString(),
    sequence: o.heartbeatSequence,
    latencyMs: o.latencyMs,
  };
}
