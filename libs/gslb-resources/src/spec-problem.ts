/**
 * A resource, or a part of one, that could not be used. It is reported (in WatchLocalTargets,
 * the logs and a metric) instead of being dropped silently, and the rest keeps working.
 * Mirrors meridian.v1.SpecProblem.
 */
export interface SpecProblem {
  /** `file:/etc/meridian/gslb.yaml` or `kubernetes`. */
  source: string;
  /** `Gslb/demo/web`, or `document 3` when a file document has no usable identity. */
  resource: string;
  /** The offending field path, e.g. `spec.strategy.type`. */
  field: string;
  /** What is wrong, the value, and the fix. */
  message: string;
}

/** A problem with one field, before it is attached to a resource. */
export interface FieldProblem {
  field: string;
  value: unknown;
  problem: string;
  fix: string;
}

export function fieldProblem(field: string, value: unknown, problem: string, fix: string): FieldProblem {
  return { field, value, problem, fix };
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function toSpecProblem(source: string, resource: string, p: FieldProblem): SpecProblem {
  return { source, resource, field: p.field, message: `${p.problem} (got ${describeValue(p.value)}); fix: ${p.fix}` };
}

/** `Kind/namespace/name`, the resource field of a SpecProblem. */
export function resourceName(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Orders problems so that lists compare equal whatever order they were found in. */
export function sortProblems(problems: readonly SpecProblem[]): SpecProblem[] {
  const key = (p: SpecProblem) => `${p.source}\u0000${p.resource}\u0000${p.field}\u0000${p.message}`;
  return [...problems].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
