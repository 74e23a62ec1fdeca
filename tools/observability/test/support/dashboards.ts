import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@meridian/testing';
import { parse } from 'yaml';

export const FILES_DIR = join(WORKSPACE_ROOT, 'charts', 'meridian', 'files');
export const DASHBOARD_DIR = join(FILES_DIR, 'dashboards');
export const RULES_FILE = join(FILES_DIR, 'prometheus', 'rules.yaml');
export const RULES_TEST_FILE = join(FILES_DIR, 'prometheus', 'rules.test.yaml');
export const RUNBOOKS_FILE = join(WORKSPACE_ROOT, 'docs', 'runbooks.md');

export interface GrafanaTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  fieldConfig?: { defaults?: { unit?: string } };
  panels?: GrafanaPanel[];
}

export interface GrafanaVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  definition?: string;
  datasource?: { type?: string; uid?: string };
}

export interface Dashboard {
  file: string;
  uid?: string;
  title?: string;
  tags?: string[];
  schemaVersion?: number;
  templating?: { list?: GrafanaVariable[] };
  panels?: GrafanaPanel[];
}

/** Every dashboard JSON the umbrella chart ships (parse errors are thrown with the file name). */
export function loadDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
      try {
        return { ...(JSON.parse(text) as Omit<Dashboard, 'file'>), file };
      } catch (err) {
        throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
    });
}

/** Panels, rows' nested panels included. */
export function panelsOf(dashboard: Dashboard): GrafanaPanel[] {
  const out: GrafanaPanel[] = [];
  const walk = (panels: GrafanaPanel[] | undefined) => {
    for (const p of panels ?? []) {
      if (p.type !== 'row') out.push(p);
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

export function variableQuery(v: GrafanaVariable): string | undefined {
  if (v.type !== 'query') return undefined;
  return typeof v.query === 'string' ? v.query : (v.query?.query ?? v.definition);
}

export interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
}

export function loadRules(): RuleFile {
  return parse(readFileSync(RULES_FILE, 'utf8')) as RuleFile;
}
