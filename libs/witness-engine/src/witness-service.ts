import { status as GrpcStatus } from '@grpc/grpc-js';
import { watchHandler } from '@meridian/grpc-kit';
import type { Logger } from '@meridian/logging';
import type { WitnessServiceServer } from '@meridian/proto';
import { observationToProto, type Clock, type Observer } from '@meridian/witness-observers';
import type { Registry } from 'prom-client';
import { LocalView } from './local-view';
import { ObservationLoop } from './observation-loop';
import { VerdictBoard } from './verdict-board';
import { WitnessMetrics } from './witness-metrics';
import type { WitnessOptions } from './witness-options';

export interface WitnessServiceDependencies {
  readonly options: WitnessOptions;
  /** Resolvers and peer witnesses: the voters. */
  readonly observers: readonly Observer[];
  /** This region's direct view of each region, for peers asking `Observe`. */
  readonly direct?: Observer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Idle WatchVerdicts streams carry a heartbeat this often. */
  readonly heartbeatMs: number;
  readonly shutdownSignal: AbortSignal;
  /** Called once, after the first round: the verdicts are as good as they get. */
  readonly onFirstRound?: () => void;
}

export interface WitnessService {
  readonly implementation: WitnessServiceServer;
  readonly board: VerdictBoard;
  readonly loop: ObservationLoop;
}

/** Wires the witness: verdict board, observation loop, and the gRPC handlers over them. */
export function createWitnessService(deps: WitnessServiceDependencies): WitnessService {
  const { options, logger, clock } = deps;
  const metrics = new WitnessMetrics(deps.registry);
  metrics.init(
    options.judged.map((t) => t.region),
    deps.observers.map((o) => o.name),
  );
  const board = new VerdictBoard({
    regions: options.judged.map((t) => t.region),
    policy: options.policy,
    logger: logger.child({ component: 'verdicts' }),
    metrics,
    nowMs: clock(),
  });
  const localView = new LocalView();
  const loop = new ObservationLoop({
    observers: deps.observers,
    direct: deps.direct,
    judged: options.judged,
    observed: options.observed,
    board,
    localView,
    metrics,
    intervalMs: options.intervalMs,
    clock,
    logger: logger.child({ component: 'observation-loop' }),
    onRound: (round) => {
      if (round === 1) deps.onFirstRound?.();
    },
  });
  const observeLog = logger.child({ component: 'observe' });
  const implementation: WitnessServiceServer = {
    watchVerdicts: watchHandler(board.stream, {
      heartbeatMs: deps.heartbeatMs,
      shutdownSignal: deps.shutdownSignal,
      logger: logger.child({ component: 'watch-verdicts' }),
    }),
    observe: (call, callback) => {
      try {
        const observations = localView.observations(call.request.regions).map(observationToProto);
        observeLog.debug('observe', { asker: call.request.observerRegion, regions: call.request.regions, answered: observations.length });
        callback(null, { observations });
      } catch (err) {
        observeLog.error('observe failed', { err });
        callback({ code: GrpcStatus.INTERNAL, details: 'the witness could not report its observations' }, null);
      }
    },
  };
  return { implementation, board, loop };
}
