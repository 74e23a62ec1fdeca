import { annotationField, fieldProblem, MERIDIAN_ANNOTATIONS, type FieldProblem } from '@meridian/gslb-resources';
import { parse } from 'yaml';
import { checkListSchema, compileCheck, type CheckSpec, type CheckTiming } from './check-spec';

/**
 * Reads the `meridian.io/checks` annotation: a YAML (or JSON) list of checks. Problems name
 * the annotation and the path inside it; a broken annotation yields no checks at all, so a
 * typo never silently drops just one of them.
 */
export function checksFromAnnotation(annotations: Record<string, string>, timing: CheckTiming, problems: FieldProblem[]): CheckSpec[] {
  const text = annotations[MERIDIAN_ANNOTATIONS.checks];
  if (text === undefined) return [];
  const field = annotationField(MERIDIAN_ANNOTATIONS.checks);
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    problems.push(fieldProblem(field, text, `is not valid YAML: ${(err as Error).message.split('\n')[0]}`, 'write a YAML list such as [{type: http, port: 8080, path: /healthz}]'));
    return [];
  }
  const result = checkListSchema.safeParse(value ?? []);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      problems.push(fieldProblem(`${field}${path}`, valueAt(value, issue.path), issue.message, 'see the checks section of the prober README'));
    }
    return [];
  }
  return result.data.map((c) => compileCheck(c, timing));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
