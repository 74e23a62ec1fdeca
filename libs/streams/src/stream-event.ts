/** Where a subscriber stands in a versioned stream. */
export interface StreamPosition {
  epoch: string;
  version: number;
}

/**
 * What a subscriber receives: a full snapshot, the delta that brings it from `version - 1` to
 * `version`, or a heartbeat that confirms `version` is still current.
 */
export type StreamEvent<S, D> =
  | { kind: 'snapshot'; epoch: string; version: number; snapshot: S }
  | { kind: 'delta'; epoch: string; version: number; delta: D }
  | { kind: 'heartbeat'; epoch: string; version: number };
