export type { WitnessOptions } from './witness-options';
export { createWitnessService, type WitnessService, type WitnessServiceDependencies } from './witness-service';
export { VerdictBoard, type VerdictBoardOptions } from './verdict-board';
export { ObservationLoop, type ObservationLoopOptions } from './observation-loop';
export { LocalView } from './local-view';
export { WitnessMetrics } from './witness-metrics';
export { verdictStateToProto, verdictToProto } from './verdict-proto';
