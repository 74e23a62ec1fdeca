/** One requirement of a label selector in its string form (`app=web,tier in (a,b),!legacy`). */
export interface LabelRequirement {
  key: string;
  operator: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/** Parses the `labelSelector` query parameter; throws on syntax kube-apiserver would reject. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    const term = part.trim();
    if (term === '') continue;
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] as string).split(',').map((v) => v.trim()).filter((v) => v !== '');
      requirements.push({ key: set[1] as string, operator: set[2] as 'in' | 'notin', values });
      continue;
    }
    const notEqual = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
    if (notEqual) {
      requirements.push({ key: notEqual[1] as string, operator: '!=', values: [notEqual[2] as string] });
      continue;
    }
    const equal = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
    if (equal) {
      requirements.push({ key: equal[1] as string, operator: '=', values: [equal[2] as string] });
      continue;
    }
    const absent = /^!\s*([^\s!=]+)$/.exec(term);
    if (absent) {
      requirements.push({ key: absent[1] as string, operator: '!', values: [] });
      continue;
    }
    if (/^[^\s!=(),]+$/.test(term)) {
      requirements.push({ key: term, operator: 'exists', values: [] });
      continue;
    }
    throw new Error(`unable to parse requirement: ${term}`);
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const all = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(all, r.key);
    const value = all[r.key];
    switch (r.operator) {
      case '=':
        return has && value === r.values[0];
      case '!=':
        return !has || value !== r.values[0];
      case 'in':
        return has && r.values.includes(value as string);
      case 'notin':
        return !has || !r.values.includes(value as string);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
