// Pure decisions
export { INITIAL_RISE_FALL, consecutive, judge, type RiseFall, type RiseFallState, type Verdict } from './rise-fall';
export { hostHealth, targetHealth, type Health } from './health-state';
export { combine as combineServiceHealth, judgeReadiness, type Readiness, type ServiceReadiness } from './readiness';

// Checks: their spec, the annotation, the probers
export {
  CHECK_TYPES,
  DEFAULT_CHECK_TIMING,
  TARGET_FAMILIES,
  checkInputSchema,
  checkListSchema,
  checkTimingSchema,
  compileCheck,
  parseCheckUrl,
  parseHostPort,
  type CheckInput,
  type CheckSpec,
  type CheckTiming,
  type CheckType,
} from './check-spec';
export { checksFromAnnotation } from './annotation-checks';
export { ProberRegistry, describeError, type FailureReason, type ProbeEndpoint, type ProbeResult, type ProbeSession, type Prober } from './probers/prober';
export { HttpProber } from './probers/http-prober';
export { TcpProber } from './probers/tcp-prober';
export { GrpcProber } from './probers/grpc-prober';
export { createDefaultProbers } from './probers/default-probers';

// Scheduling, hosts, the local-targets store
export { systemClock, type Clock, type TimerHandle } from './clock';
export { CheckScheduler, type CheckSchedulerOptions, type ScheduledTask } from './check-scheduler';
export { checksForHost, desiredHosts, type DesiredHost, type DesiredHostsOptions, type HostChecks } from './desired-hosts';
export { LocalTargetsEngine, type LocalTargetsEngineOptions } from './local-targets-engine';
export { ProberMetrics, type HealthStats } from './prober-metrics';
export { checkResultToProto, healthToProto, problemToProto, strategyToProto, targetToProto } from './to-proto';
