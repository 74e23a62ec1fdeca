import { parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  object: KubeObject;
  /** The template it came from, from helm's `# Source:` comment, e.g. meridian/charts/dns/templates/hpa.yaml. */
  source: string;
}

/** Parses `helm template` output: every non-empty document, with the template it came from. */
export function parseRendered(text: string): Rendered[] {
  const out: Rendered[] = [];
  for (const chunk of text.split(/^---\s*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? '';
    for (const doc of parseAllDocuments(chunk)) {
      if (doc.errors.length > 0) throw new Error(`YAML error in ${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${source}: a document that is not an object`);
      const object = value as KubeObject;
      if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
        throw new Error(`${source}: a document without apiVersion, kind and metadata.name`);
      }
      out.push({ object, source });
    }
  }
  return out;
}

/** The chart a rendered object belongs to: the subchart folder in its Source path, else the top chart. */
export function chartOf(r: Rendered): string {
  const m = /^([^/]+)\/charts\/([^/]+)\//.exec(r.source);
  if (m) return m[2] as string;
  return r.source.split('/')[0] as string;
}

export const keyOf = (o: KubeObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function ofKind(rendered: readonly Rendered[], kind: string): Rendered[] {
  return rendered.filter((r) => r.object.kind === kind);
}
