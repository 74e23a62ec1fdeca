export type { Observation, ObservationResult, ObserverKind, VerdictState } from './observation';
export { majority, quorumProblems, type QuorumPolicy } from './quorum-policy';
export { evidenceRole, tallyEvidence, type EvidenceRole, type Tally } from './tally';
export { decideVerdict, initialVerdict, type Decision, type PendingChange, type RegionVerdict, type VerdictChange } from './decide-verdict';
export { formatHeartbeatText, parseHeartbeatText, type HeartbeatFields, type HeartbeatText } from './heartbeat-text';
export { judgeFreshness, type FreshnessJudgement, type FreshnessPolicy, type HeartbeatMemory } from './heartbeat-freshness';
