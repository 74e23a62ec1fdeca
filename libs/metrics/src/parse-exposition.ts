import type { MetricDescriptor } from './metric-name-lint';

/**
 * Reads metric descriptors (name, type, help, label names) back from Prometheus text
 * exposition, so a live `/metrics` scrape can be linted like a registry.
 */
export function parseExposition(text: string): MetricDescriptor[] {
  const metrics = new Map<string, { name: string; type: string; help: string; labels: Set<string> }>();
  const families: string[] = [];
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      let entry = metrics.get(name);
      if (!entry) {
        entry = { name, type: 'untyped', help: '', labels: new Set() };
        metrics.set(name, entry);
        families.push(name);
      }
      if (kind === 'HELP') entry.help = rest;
      else entry.type = rest;
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)\{([^}]*)\}/.exec(line);
    if (!sample) continue;
    // Histogram and summary samples carry suffixes; attribute them to their family.
    const family = families.find((f) => sample[1] === f || sample[1]?.startsWith(`${f}_`));
    const entry = family ? metrics.get(family) : undefined;
    for (const [, label] of (sample[2] ?? '').matchAll(/(\w+)="/g)) {
      if (entry && label && label !== 'le' && label !== 'quantile') entry.labels.add(label);
    }
  }
  return [...metrics.values()].map(({ name, type, help, labels }) => ({ name, type, help, labelNames: [...labels] }));
}
