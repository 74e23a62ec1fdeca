import { renderTable } from './table';
import type { HostFamilyAnswer } from './zone-hosts';

export function formatHosts(rows: readonly HostFamilyAnswer[]): string {
  if (rows.length === 0) return 'no GSLB hosts in the zone';
  return renderTable(
    ['HOST', 'REGION', 'TYPE', 'STRATEGY', 'SELECTOR', 'TTL', 'ANSWER (variant 0)'],
    rows.map((row) => [
      row.host,
      row.region,
      row.family,
      row.strategy,
      row.variants > 1 ? `${row.selector} (${row.variants} variants)` : row.selector,
      `${row.ttlSeconds}s`,
      (row.answer.length === 0 ? '(empty)' : row.answer.join(', ')) + (row.failOpen ? ' [fail-open]' : ''),
    ]),
  );
}
