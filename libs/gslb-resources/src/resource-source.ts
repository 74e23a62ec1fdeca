import type { SpecProblem } from './spec-problem';
import type { StoredObject } from './stored-object';
import type { KindId } from './resource-kinds';

/**
 * Where a source delivers objects. A scope is one independently listed part of a source (one
 * kind's list/watch, or the set of files): `replace` makes the scope hold exactly the given
 * objects, as a (re)list or a file reload does; `upsert` and `remove` are watch events.
 */
export interface ResourceSink {
  replace(scope: string, objects: readonly StoredObject[], problems?: readonly SpecProblem[]): void;
  upsert(scope: string, object: StoredObject): void;
  remove(scope: string, kind: KindId, namespace: string, name: string): void;
  /** Problems a scope found in what it read (a broken document), replacing its earlier ones. */
  setProblems(scope: string, problems: readonly SpecProblem[]): void;
  /** Every scope of the source has delivered its initial state once. */
  synced(): void;
}

/**
 * The one interface behind both modes: files and the Kubernetes API fill the same store, and
 * everything downstream (targets, readiness, checks) is computed from that store alike.
 */
export interface ResourceSource {
  /** `file:/etc/meridian/resources.yaml` or `kubernetes https://10.0.0.1:443`, for logs. */
  readonly description: string;
  /** Starts delivering into `sink`; returns once started, calling `sink.synced()` later. */
  start(sink: ResourceSink): Promise<void>;
  stop(): Promise<void>;
}
