import { VerdictState, type CheckResult, type ExplainResponse, type RegionExplanation, type RegionVerdict, type Strategy, type Target } from '@meridian/proto';
import { healthLabel, strategyLabel, verdictLabel, weightedModeLabel, whenAllUnhealthyLabel, yesNo } from './labels';
import { renderTable } from './table';

/** The human view of an ExplainResponse: strategy, per-region verdict and targets, answer, summary. */
export function formatExplain(response: ExplainResponse): string {
  const sections = [
    renderTable(
      ['', ''],
      [
        ['host', `${response.host} (zone ${response.zone || '-'}, version ${response.zoneVersion})`],
        ['strategy', formatStrategy(response.spec?.strategy)],
        ['answer', formatTargets(response.answer)],
        ['ttl', `${response.ttlSeconds}s`],
        ['ecs scope', `/${response.ecsScope}`],
        ['fail-open', yesNo(response.failOpen)],
      ],
    )
      .split('\n')
      .slice(1)
      .join('\n'),
    'regions:\n' + indent(renderTable(['REGION', 'LOCAL', 'VERDICT', 'USED', 'WHY'], response.regions.map(regionRow))),
    'targets:\n' + indent(renderTable(['REGION', 'TARGET', 'HEALTH', 'CHECK', 'REASON'], response.regions.flatMap(targetRows))),
  ];
  if (response.problems.length > 0) {
    sections.push('problems:\n' + response.problems.map((p) => `  ${p.source} ${p.resource} ${p.field}: ${p.message}`).join('\n'));
  }
  sections.push(`summary: ${response.summary || '-'}`);
  return sections.join('\n\n');
}

export function formatStrategy(strategy: Strategy | undefined): string {
  if (!strategy) return 'unknown (no spec)';
  const parts = [strategyLabel(strategy.type)];
  if (strategy.primaryGeoTags.length > 0) parts.push(`primary ${strategy.primaryGeoTags.join(', ')}`);
  const weights = Object.entries(strategy.weights);
  if (weights.length > 0) parts.push(`weights ${weights.map(([region, weight]) => `${region}=${weight}`).join(' ')} (${weightedModeLabel(strategy.weightedMode)})`);
  parts.push(`when all unhealthy: ${whenAllUnhealthyLabel(strategy.whenAllUnhealthy)}`);
  return parts.join('; ');
}

export function formatTargets(targets: readonly Target[]): string {
  return targets.length === 0 ? '(empty)' : targets.map((t) => t.address).join(', ');
}

/** "alive (3/3 reachable, quorum 2)"; UNKNOWN shows the decision that holds. */
export function formatVerdict(verdict: RegionVerdict | undefined): string {
  if (!verdict) return 'none';
  const holds = verdict.state === VerdictState.VERDICT_STATE_UNKNOWN && verdict.lastDecided !== VerdictState.VERDICT_STATE_UNSPECIFIED ? `, holds ${verdictLabel(verdict.lastDecided)}` : '';
  return `${verdictLabel(verdict.state)} (${verdict.reachable}/${verdict.observers} reachable, quorum ${verdict.quorum}${holds})`;
}

function regionRow(region: RegionExplanation): string[] {
  return [region.region, yesNo(region.local), formatVerdict(region.verdict), yesNo(region.used), region.reason || '-'];
}

function targetRows(region: RegionExplanation): string[][] {
  if (region.targets.length === 0) return [[region.region, '(none)', '-', '-', '-']];
  return region.targets.flatMap((target) => {
    const address = target.target?.address ?? '?';
    const health = healthLabel(target.state);
    if (target.checks.length === 0) return [[region.region, address, health, '-', '-']];
    return target.checks.map((check) => [region.region, address, health, formatCheck(check), check.message || '-']);
  });
}

export function formatCheck(check: CheckResult): string {
  return `${check.check} ${check.passed ? 'pass' : 'fail'}${check.consecutive > 1 ? ` x${check.consecutive}` : ''}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
