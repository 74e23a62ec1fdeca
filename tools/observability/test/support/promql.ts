/** Words of PromQL that look like metric names but are not. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2', 'start', 'end']);

/**
 * The metric names a PromQL expression selects by name (not `{__name__=~…}` selectors). A
 * small lexer, not a parser: strings, label matchers, ranges and grouping clauses are removed
 * first, then every remaining identifier that is not a function call or keyword is a name.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call !== undefined || name === undefined || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

/** Grafana's variables, as the live check substitutes them (all regions, all hosts). */
export const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '10s',
  __interval: '2s',
  __range: '5m',
  region: '.*',
  host: '.*',
  datasource: 'prometheus',
};

/** Replaces `$name`, `${name}` and `[[name]]` for every known Grafana variable. */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = GRAFANA_VARIABLES): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return Object.prototype.hasOwnProperty.call(values, name) ? (values[name] as string) : whole;
  });
}

/** `label_values(metric, label)` → a query returning one series per value. */
export function labelValuesQuery(definition: string): { metric: string; label: string; query: string } | undefined {
  const m = /^label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)$/.exec(definition.trim());
  if (!m) return undefined;
  const [, metric, label] = m as unknown as [string, string, string];
  return { metric, label, query: `count by (${label}) (${metric})` };
}
