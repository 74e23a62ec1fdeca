import type { RecordSet, RegionVerdict, WatchVerdictsResponse, WatchZoneResponse, ZoneChange } from '@meridian/proto';
import { formatVerdict } from './format-explain';
import { strategyLabel } from './labels';

/** One line per change of a WatchZone message; heartbeats give no line. */
export function zoneEventLines(region: string, message: WatchZoneResponse, at: Date): string[] {
  const prefix = `${at.toISOString()} ${region} records v${message.version}`;
  switch (message.event?.$case) {
    case 'snapshot': {
      const zones = message.event.snapshot.zones;
      const names = zones.reduce((sum, zone) => sum + zone.recordSets.length, 0);
      return [`${prefix} snapshot epoch ${message.epoch}: ${zones.length} zones, ${names} names`];
    }
    case 'delta':
      return message.event.delta.changes.map((change) => `${prefix} ${zoneChange(change)}`);
    default:
      return [];
  }
}

export function zoneChange(change: ZoneChange): string {
  switch (change.change?.$case) {
    case 'upsert':
      return `upsert ${recordSetSummary(change.change.upsert)}`;
    case 'removedName':
      return `removed ${change.change.removedName}`;
    case 'header':
      return `zone ${change.origin} header changed`;
    case 'zoneRemoved':
      return `zone ${change.origin} removed`;
    default:
      return `zone ${change.origin} unknown change`;
  }
}

/** "failover.gslb.example.com failover A=192.0.2.1 AAAA=(empty)", or a static record count. */
export function recordSetSummary(set: RecordSet): string {
  if (set.content?.$case === 'host') {
    const { a, aaaa } = set.content.host;
    const plan = a ?? aaaa;
    const parts = [set.name, plan ? strategyLabel(plan.strategy) : '-'];
    for (const [family, p] of [
      ['A', a],
      ['AAAA', aaaa],
    ] as const) {
      if (!p) continue;
      const targets = (p.variants[0]?.targets ?? []).map((t) => t.address);
      parts.push(`${family}=${targets.length === 0 ? '(empty)' : targets.join(',')}${p.failOpen ? ' [fail-open]' : ''}`);
    }
    return parts.join(' ');
  }
  if (set.content?.$case === 'records') return `${set.name} ${set.content.records.records.length} static records`;
  return set.name;
}

/** One line per region verdict of a WatchVerdicts message. */
export function verdictEventLines(region: string, message: WatchVerdictsResponse, at: Date): string[] {
  const prefix = `${at.toISOString()} ${region} witness v${message.version}`;
  const line = (kind: string) => (v: RegionVerdict) => `${prefix} ${kind} ${v.region} ${formatVerdict(v)}`;
  switch (message.event?.$case) {
    case 'snapshot':
      return message.event.snapshot.verdicts.map(line('verdict'));
    case 'delta':
      return message.event.delta.changed.map(line('changed'));
    default:
      return [];
  }
}
