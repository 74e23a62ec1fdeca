import { failoverOrder, lookupCidr, parseAddress, selectVariant, type AnswerPlan, type CidrTable, type GeoTag, type ParsedAddress, type Target } from '@meridian/strategies';
import { normalizeName } from './dns-names';
import { plansOf, type HostPlans } from './host-plans';
import type { HostView, RegionView } from './records-engine';
import type { HostSpecReport, SpecProblemReport, TargetReport, VerdictReport } from './reports';

/** An Explain request that cannot be answered as asked (INVALID_ARGUMENT). */
export class InvalidRequestError extends Error {
  override readonly name: string = 'InvalidRequestError';
}

/** A client subnet that cannot be read ("10.1.2.3" or "10.1.0.0/16" are). */
export class InvalidClientSubnetError extends InvalidRequestError {
  override readonly name = 'InvalidClientSubnetError';
}

/** A host no region declares. */
export class HostNotFoundError extends Error {
  override readonly name = 'HostNotFoundError';
}

/** One region's part in an explanation. */
export interface RegionExplanation {
  readonly region: GeoTag;
  readonly local: boolean;
  readonly used: boolean;
  readonly reason: string;
  readonly verdict: VerdictReport;
  readonly targets: readonly TargetReport[];
  readonly observedAtMs: number;
}

/** Why a host answers what it answers, for one client. */
export interface Explanation {
  readonly host: string;
  readonly zone: string;
  readonly spec: HostSpecReport | undefined;
  readonly regions: readonly RegionExplanation[];
  /** The answer of one query: the A plan's variant, then the AAAA plan's. */
  readonly answer: readonly Target[];
  readonly ttlSeconds: number;
  readonly ecsScope: number;
  readonly failOpen: boolean;
  readonly summary: string;
  readonly zoneVersion: number;
  readonly problems: readonly SpecProblemReport[];
}

/** Reads "10.1.2.3", "10.1.0.0/16", "2001:db8::1" or "2001:db8::/32"; empty means "no client". */
export function parseClientSubnet(text: string): ParsedAddress | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const slash = trimmed.indexOf('/');
  const address = parseAddress(slash < 0 ? trimmed : trimmed.slice(0, slash));
  if (address === undefined) {
    throw new InvalidClientSubnetError(`client_subnet "${text}" is not an IPv4 or IPv6 address or subnet; write e.g. 10.1.2.3 or 10.1.0.0/16`);
  }
  if (slash >= 0) {
    const max = address.family === 4 ? 32 : 128;
    const prefixText = trimmed.slice(slash + 1);
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    // An IPv4-mapped IPv6 subnet becomes IPv4: its prefix loses the 96 mapping bits.
    const length = trimmed.slice(0, slash).includes(':') && address.family === 4 ? prefix - 96 : prefix;
    if (!(length >= 0 && length <= max)) {
      throw new InvalidClientSubnetError(`client_subnet "${text}" has an invalid prefix length: use 0 to ${max} for IPv${address.family}`);
    }
    address.bits = length;
  }
  return address;
}

export interface ExplainOptions {
  /** The DNS server's per-query draw, in [0, 1): picks the rotation or weighted variant shown. */
  readonly random01: number;
  readonly geo: CidrTable | undefined;
}

/**
 * Builds the explanation of a host for a client: every region's inputs and the planner's
 * decision on it, the answer the client gets from the plans being served (selectVariant, as
 * the DNS server does), its ECS scope, and a one-sentence summary.
 */
export function explainHost(view: HostView, clientSubnet: string, options: ExplainOptions): Explanation {
  const client = parseClientSubnet(clientSubnet);
  const { state } = view;
  const plans = plansOf(state.plans);
  const answer: Target[] = [];
  let ecsScope = 0;
  for (const { plan } of plans) {
    const choice = selectVariant(plan, options.random01, client);
    answer.push(...(plan.variants[choice.variant] ?? []));
    ecsScope = Math.max(ecsScope, choice.ecsScope);
  }
  const decisions = decisionsByRegion(state.plans);
  const regions = view.regions.map((region) => explainRegion(region, decisions.get(region.geoTag)));
  const failOpen = plans.some(({ plan }) => plan.failOpen);
  const gslb = state.spec?.gslb;
  const problems: SpecProblemReport[] = [
    ...view.localProblems.filter((p) => gslb !== undefined && gslb !== '' && (p.resource === gslb || p.resource.endsWith(`/${gslb}`))),
    ...(state.problem === undefined ? [] : [{ source: 'records', resource: gslb ? `Gslb/${gslb}` : state.host, field: 'spec', message: state.problem }]),
  ];
  return {
    host: state.host,
    zone: state.zone ?? '',
    spec: state.spec,
    regions,
    answer,
    ttlSeconds: state.spec?.strategy?.dnsTtlSeconds ?? 0,
    ecsScope,
    failOpen,
    summary: summarize(view, state.plans, client, options.geo, answer),
    zoneVersion: view.zoneVersion,
    problems,
  };
}

/** The decisions of the A and AAAA plans, merged per region (used when either uses it). */
function decisionsByRegion(plans: HostPlans | undefined): Map<GeoTag, { used: boolean; reasons: string[] }> {
  const out = new Map<GeoTag, { used: boolean; reasons: string[] }>();
  const all = plansOf(plans);
  for (const { family, plan } of all) {
    for (const d of plan.decisions) {
      const entry = out.get(d.geoTag) ?? { used: false, reasons: [] };
      entry.used ||= d.used;
      entry.reasons.push(all.length > 1 ? `${family.toUpperCase()}: ${d.reason}` : d.reason);
      out.set(d.geoTag, entry);
    }
  }
  return out;
}

function explainRegion(region: RegionView, decision: { used: boolean; reasons: string[] } | undefined): RegionExplanation {
  const verdict: VerdictReport = region.verdict ?? {
    region: region.geoTag,
    state: region.plannedVerdict,
    lastDecided: undefined,
    quorum: 0,
    observers: 0,
    reachable: 0,
    unreachable: 0,
    evidence: [],
    decidedAtMs: 0,
    updatedAtMs: 0,
  };
  const witness = region.local ? '' : region.verdict === undefined ? '; no witness verdict (UNKNOWN)' : `; witness says ${region.verdict.state}`;
  const link = region.local ? '' : region.connected ? '; peer connected' : '; peer not connected';
  const reason = decision === undefined ? `no targets of this region are planned${link}${witness}` : `${decision.reasons.join(' | ')}${link}${witness}`;
  return {
    region: region.geoTag,
    local: region.local,
    used: decision?.used ?? false,
    reason,
    verdict,
    targets: region.report?.targets ?? [],
    observedAtMs: region.observedAtMs,
  };
}

function summarize(view: HostView, plans: HostPlans | undefined, client: ParsedAddress | undefined, geo: CidrTable | undefined, answer: readonly Target[]): string {
  const { state } = view;
  if (state.zone === undefined || state.plans === undefined) return `${state.host} is not answered: ${state.problem ?? 'no plan'}.`;
  const all = plansOf(plans);
  if (all.length === 0) return `${state.host} has no target in any region: NODATA.`;
  const plan = (plans?.a ?? plans?.aaaa) as AnswerPlan;
  const dropped = plan.decisions.filter((d) => !d.usable).map((d) => `${d.geoTag} (${d.rule})`);
  const droppedText = dropped.length > 0 ? ` Dropped: ${dropped.join(', ')}.` : '';
  const problem = state.problem === undefined ? '' : ` Note: ${state.problem}.`;
  const local = view.regions.find((r) => r.local)?.geoTag;
  const borrowed = state.specRegion !== undefined && state.specRegion !== local ? ` The spec is ${state.specRegion}'s: this region declares no usable Gslb for the host.` : '';
  const addresses = answer.length === 0 ? 'NODATA' : answer.map((t) => t.address).join(' ');
  const usable = plan.decisions.filter((d) => d.usable && d.used).map((d) => d.geoTag);
  return `${strategySentence(view, plan, usable, client, geo)} Answer: ${addresses}.${droppedText}${borrowed}${problem}`;
}

function strategySentence(view: HostView, plan: AnswerPlan, used: GeoTag[], client: ParsedAddress | undefined, geo: CidrTable | undefined): string {
  const spec = view.state.spec?.strategy;
  if (plan.failOpen) return `No target is healthy: failOpen answers every target of ${used.join(', ') || 'the usable regions'}.`;
  if (plan.fallback === 'lastKnownGood') return 'No target is healthy: answering the last known good targets (whenAllUnhealthy: lastKnownGood).';
  if (plan.empty) return `No target is healthy: NODATA (whenAllUnhealthy: ${spec?.whenAllUnhealthy ?? 'empty'}).`;
  const regions = used.join(', ');
  switch (plan.strategy) {
    case 'roundRobin':
      return `roundRobin over the healthy targets of ${regions}; the order rotates per query.`;
    case 'weightedRoundRobin':
      return `weighted roundRobin (${Object.entries(spec?.weight ?? {}).map(([g, w]) => `${g}=${w}`).join(', ')}): the first target is drawn by region weight per query, among ${regions}.`;
    case 'failover': {
      const order = spec === undefined ? [] : failoverOrder({ ...spec }, view.regions.map((r) => r.geoTag));
      return `failover: ${regions} answers, the first region with a healthy target in the order ${order.join(' > ')}.`;
    }
    case 'geoip': {
      const located = client === undefined || geo === undefined ? undefined : lookupCidr(geo, client).geoTag;
      const who = client === undefined ? 'no client subnet given: the default answer' : located === undefined ? 'the client matches no geo route: the default answer' : `the client is in ${located}`;
      return `geoip: ${who}; answering from ${answeringRegions(view, plan, located) || regions}.`;
    }
  }
}

/** The regions whose targets make up the answer for a client located in `located`. */
function answeringRegions(view: HostView, plan: AnswerPlan, located: GeoTag | undefined): string {
  if (plan.selector.kind !== 'geo') return '';
  const index = located === undefined ? plan.selector.defaultVariant : (plan.selector.variantByGeoTag[located] ?? plan.selector.defaultVariant);
  const variant = new Set((plan.variants[index] ?? []).map((t) => t.address));
  return view.regions
    .filter((r) => (r.report?.targets ?? []).some((t) => variant.has(normalizeName(t.address))))
    .map((r) => r.geoTag)
    .join(', ');
}

