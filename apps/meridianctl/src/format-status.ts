import { formatVerdict } from './format-explain';
import { peerKindLabel, subscriptionLabel, yesNo } from './labels';
import type { Part, StatusReport } from './status-report';
import { renderTable } from './table';

export function formatStatus(report: StatusReport, now: Date = new Date()): string {
  const sections: string[] = [`region ${report.region}`];
  sections.push(
    'verdicts (witness):\n' +
      section(report.verdicts, (verdicts) =>
        renderTable(
          ['REGION', 'VERDICT', 'LAST DECIDED', 'SINCE'],
          verdicts.map((v) => [v.region, formatVerdict(v), formatVerdict({ ...v, state: v.lastDecided }).split(' ')[0]!, ago(v.decidedAt, now)]),
        ),
      ),
  );
  sections.push(
    'peers (peer-sync):\n' +
      section(report.peers, (peers) =>
        peers.length === 0
          ? 'no peers'
          : renderTable(
              ['REGION', 'ADDRESS', 'KIND', 'CONNECTED', 'HOSTS', 'LAST CONTACT', 'LAST ERROR'],
              peers.map((p) => [p.region, p.address, peerKindLabel(p.kind), yesNo(p.connected), String(p.hosts), ago(p.lastContact, now), p.lastError || '-']),
            ),
      ),
  );
  sections.push('zone (records):\n' + section(report.zone, (zone) => `version ${zone.version}, epoch ${zone.epoch}, zones ${zone.zones.join(', ') || '-'}`));
  sections.push(
    'serving (dns):\n' +
      section(report.dns, (dns) => `version ${dns.zoneVersion}, epoch ${dns.epoch}, subscription ${subscriptionLabel(dns.subscription)}${dns.source ? ` (${dns.source})` : ''}, ${dns.workers} workers`),
  );
  sections.push('local targets (prober):\n' + section(report.prober, (p) => `${p.hosts} hosts in region ${p.region || '-'}${p.problems > 0 ? `, ${p.problems} spec problems` : ''}`));
  return sections.join('\n\n');
}

function section<T>(part: Part<T>, render: (value: T) => string): string {
  const text = part.ok ? render(part.value) : `error: ${part.error}`;
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** "12s ago", "3m ago", "-" when unknown. */
export function ago(at: Date | undefined, now: Date): string {
  if (!at || at.getTime() <= 0) return '-';
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}
