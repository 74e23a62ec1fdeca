import { isRecord, stringMap } from './kube-object';
import { fieldProblem, type FieldProblem } from './spec-problem';

/** A `metav1.LabelSelector` as k8gb's resourceRef carries it inline. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** Reads matchLabels/matchExpressions at `path`; undefined when neither is set. */
export function parseLabelSelector(value: Record<string, unknown>, path: string, problems: FieldProblem[]): LabelSelector | undefined {
  const hasLabels = value['matchLabels'] !== undefined;
  const hasExpressions = Array.isArray(value['matchExpressions']) && value['matchExpressions'].length > 0;
  if (!hasLabels && !hasExpressions) return undefined;
  if (hasLabels && !isRecord(value['matchLabels'])) {
    problems.push(fieldProblem(`${path}.matchLabels`, value['matchLabels'], 'must be a map of label to value', 'write matchLabels: {app: web}'));
  }
  const matchExpressions: LabelSelector['matchExpressions'] = [];
  ((value['matchExpressions'] as unknown[] | undefined) ?? []).forEach((raw, i) => {
    const field = `${path}.matchExpressions[${i}]`;
    if (!isRecord(raw) || typeof raw['key'] !== 'string') {
      problems.push(fieldProblem(field, raw, 'needs a key and an operator', 'write {key: app, operator: In, values: [web]}'));
      return;
    }
    const operator = raw['operator'];
    if (!(OPERATORS as readonly unknown[]).includes(operator)) {
      problems.push(fieldProblem(`${field}.operator`, operator, 'is not a label selector operator', `use one of: ${OPERATORS.join(', ')}`));
      return;
    }
    const values = Array.isArray(raw['values']) ? raw['values'].filter((v): v is string => typeof v === 'string') : [];
    matchExpressions.push({ key: raw['key'], operator: operator as LabelSelector['matchExpressions'][number]['operator'], values });
  });
  return { matchLabels: stringMap(value['matchLabels']), matchExpressions };
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  return selector.matchExpressions.every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && e.values.includes(labels[e.key] as string);
      case 'NotIn':
        return !has || !e.values.includes(labels[e.key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}
