#!/usr/bin/env node
// Writes Meridian's Grafana dashboards (charts/meridian/files/dashboards/*.json) from the
// panel lists below, so ids, grid positions, the datasource variable and the region joins are
// uniform. `node tools/observability/dashboards/generate.mjs` rewrites the files;
// `--check` only reports files that differ (the observability test runs this).
//
// No scrape-time `region` label is assumed: a series gets its region by a join with its
// service's `meridian_<service>_build_info{region}` on instance and job (the same joins as
// charts/meridian/files/prometheus/rules.yaml).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DASHBOARD_DIR = join(root, 'charts', 'meridian', 'files', 'dashboards');

const DS = { type: 'prometheus', uid: '${datasource}' };
const RI = '$__rate_interval';

/** `<expr> J('dns')`: adds the service's region as `region`, filtered by the $region variable. */
const J = (service) => `* on (instance, job) group_left (region) meridian_${service.replace(/-/g, '_')}_build_info{region=~"$region"}`;
/** The same for series that already carry `region` (the region they are about): the service's own region becomes `label`. */
const JAS = (service, label) =>
  `* on (instance, job) group_left (${label}) label_replace(meridian_${service.replace(/-/g, '_')}_build_info{region=~"$region"}, "${label}", "$1", "region", "(.*)")`;
/** Any Meridian service's region (for process and readiness metrics). */
const JANY = '* on (instance, job) group_left (region) {__name__=~"meridian_(prober|peer_sync|witness|records|dns)_build_info", region=~"$region"}';
const q = (quantile, bucket, by, join) => `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${bucket}[${RI}]) ${join}))`;

const datasourceVar = { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, options: [], refresh: 1, regex: '', skipUrlSync: false };
const queryVar = (name, label, metric, labelName) => ({
  name,
  label,
  type: 'query',
  datasource: DS,
  definition: `label_values(${metric}, ${labelName})`,
  query: { query: `label_values(${metric}, ${labelName})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
  includeAll: true,
  multi: true,
  allValue: '.*',
  current: { selected: true, text: ['All'], value: ['$__all'] },
  hide: 0,
  options: [],
  refresh: 2,
  regex: '',
  sort: 1,
  skipUrlSync: false,
});
const regionVar = queryVar('region', 'Region', 'meridian_records_build_info', 'region');
const hostVar = queryVar('host', 'Host', 'meridian_records_host_healthy_targets', 'host');

function panel(kind, title, unit, description, targets, extra = {}) {
  return { kind, title, unit, description, targets: targets.map(([expr, legendFormat]) => ({ expr, legendFormat })), ...extra };
}
const ts = (...a) => panel('timeseries', ...a);
const stat = (...a) => panel('stat', ...a);
const table = (...a) => panel('table', ...a);

const dashboards = [
  {
    file: 'meridian-overview.json',
    uid: 'meridian-overview',
    title: 'Meridian / Overview',
    tags: ['meridian', 'gslb'],
    description: "The suite at a glance: readiness, DNS traffic, verdicts, peers and zone versions per region.",
    vars: [regionVar],
    panels: [
      stat('Ready services', 'none', 'Services reporting ready (meridian_<service>_ready), per region; 5 is a complete region.', [
        [`sum by (region) ({__name__=~"meridian_(prober|peer_sync|witness|records|dns)_ready"} ${JANY})`, '{{region}}'],
      ]),
      stat('Hosts served', 'none', 'GSLB hosts records answers for, per region.', [[`sum by (region) (meridian_records_hosts{state="served"} ${J('records')})`, '{{region}}']]),
      stat('Peers connected', 'none', 'Peer regions with a live Exchange stream, per region.', [[`sum by (region) (meridian_peer_sync_peers_connected ${J('peer-sync')})`, '{{region}}']]),
      stat('Zone versions behind', 'none', "How far each DNS server's zone version is behind its records (0 is current).", [
        [`max by (region) (meridian_records_zone_version ${J('records')}) - on (region) group_right () max by (region, instance) (meridian_dns_zone_version ${J('dns')})`, '{{region}} {{instance}}'],
      ]),
      ts('DNS queries per second', 'reqps', 'Requests answered by every DNS server of the region.', [[`sum by (region) (rate(meridian_dns_queries_total[${RI}]) ${J('dns')})`, '{{region}}']]),
      ts('DNS responses by rcode', 'reqps', 'Answers by response code: REFUSED is a name outside our zones, NXDOMAIN a name we do not have.', [
        [`sum by (region, rcode) (rate(meridian_dns_queries_total[${RI}]) ${J('dns')})`, '{{region}} {{rcode}}'],
      ]),
      ts('DNS latency p99', 's', 'Time from reading a request to handing its reply to the socket.', [[q(0.99, 'meridian_dns_query_duration_seconds_bucket', 'region', J('dns')), '{{region}}']]),
      table('Region verdicts', 'none', "Each region's witness verdict on every region (ALIVE, DOWN, UNKNOWN).", [
        [`max by (witness_region, region, state) (meridian_witness_verdict_state ${JAS('witness', 'witness_region')}) == 1`, '{{witness_region}} → {{region}}: {{state}}'],
      ]),
      ts('Process CPU', 'percentunit', 'CPU used by each service process.', [[`sum by (region, job, instance) (rate(process_cpu_seconds_total[${RI}]) ${JANY})`, '{{region}} {{job}} {{instance}}']]),
      ts('Process memory', 'bytes', 'Resident memory of each service process.', [[`sum by (region, job, instance) (process_resident_memory_bytes ${JANY})`, '{{region}} {{job}} {{instance}}']]),
    ],
  },
  {
    file: 'meridian-dns.json',
    uid: 'meridian-dns',
    title: 'Meridian / DNS tier',
    tags: ['meridian', 'gslb', 'dns'],
    description: 'The authoritative DNS servers: traffic, latency, zone freshness and the records subscription.',
    vars: [regionVar],
    panels: [
      ts('Queries per second by transport and type', 'reqps', 'Requests answered, by UDP/TCP and question type.', [
        [`sum by (region, transport, qtype) (rate(meridian_dns_queries_total[${RI}]) ${J('dns')})`, '{{region}} {{transport}} {{qtype}}'],
      ]),
      ts('Responses by rcode', 'reqps', 'Answers by response code.', [[`sum by (region, rcode) (rate(meridian_dns_queries_total[${RI}]) ${J('dns')})`, '{{region}} {{rcode}}']]),
      ts('Query latency', 's', 'p50, p90 and p99 of the time from request to reply.', [
        [q(0.5, 'meridian_dns_query_duration_seconds_bucket', 'region', J('dns')), 'p50 {{region}}'],
        [q(0.9, 'meridian_dns_query_duration_seconds_bucket', 'region', J('dns')), 'p90 {{region}}'],
        [q(0.99, 'meridian_dns_query_duration_seconds_bucket', 'region', J('dns')), 'p99 {{region}}'],
      ]),
      ts('Query latency distribution', 'reqps', 'Answers per second by latency bucket (upper bound le).', [[`sum by (le) (rate(meridian_dns_query_duration_seconds_bucket[${RI}]) ${J('dns')})`, '{{le}}']]),
      ts('Zone version per DNS server', 'none', 'The zone version each DNS server serves, beside its records (they should move together).', [
        [`meridian_dns_zone_version ${J('dns')}`, 'dns {{region}} {{instance}}'],
        [`meridian_records_zone_version ${J('records')}`, 'records {{region}} {{instance}}'],
      ]),
      ts('Zone age', 's', 'Seconds since records last confirmed the data each DNS server serves (alert MeridianDnsZoneStale above 30 s).', [
        [`meridian_dns_zone_age_seconds ${J('dns')}`, '{{region}} {{instance}}'],
      ]),
      table('Subscription state', 'none', 'Where each DNS server gets its zone: synced, connecting, disconnected, file or none.', [
        [`max by (region, instance, state) (meridian_dns_subscription_state ${J('dns')}) == 1`, '{{region}} {{instance}} {{state}}'],
      ]),
      ts('Truncated and dropped', 'pps', 'UDP replies sent truncated (TC) and packets not answered, by reason.', [
        [`sum by (region) (rate(meridian_dns_responses_truncated_total[${RI}]) ${J('dns')})`, 'truncated {{region}}'],
        [`sum by (region, reason) (rate(meridian_dns_packets_dropped_total[${RI}]) ${J('dns')})`, 'dropped {{region}} {{reason}}'],
      ]),
      ts('TCP connections', 'none', 'Open DNS-over-TCP connections.', [[`sum by (region) (meridian_dns_tcp_connections ${J('dns')})`, '{{region}}']]),
      ts('Workers and restarts', 'none', 'Worker processes listening, and workers replaced in the time range.', [
        [`sum by (region, instance) (meridian_dns_workers ${J('dns')})`, 'workers {{region}} {{instance}}'],
        [`sum by (region, instance) (increase(meridian_dns_worker_restarts_total[$__range]) ${J('dns')})`, 'restarts {{region}} {{instance}}'],
      ]),
      ts('WatchZone subscribers', 'none', 'DNS servers subscribed to each records (one per DNS server process).', [[`sum by (region) (meridian_records_watch_subscribers ${J('records')})`, '{{region}}']]),
    ],
  },
  {
    file: 'meridian-health-failover.json',
    uid: 'meridian-health-failover',
    title: 'Meridian / Health and failover',
    tags: ['meridian', 'gslb', 'health'],
    description: 'Health per host and region, what each region answers, probes and failovers.',
    vars: [regionVar, hostVar],
    panels: [
      ts('Healthy targets answered', 'none', "Healthy addresses in each host's answer, as each region's records plans it (alert GslbAllEndpointsDown at 0).", [
        [`max by (region, host) (meridian_records_host_healthy_targets{host=~"$host"} ${J('records')})`, '{{region}} {{host}}'],
      ]),
      table('Regions answered', 'none', "Which regions' targets each region answers each host with (a failover host names one).", [
        [`max by (records_region, host, region) (meridian_records_host_region_used{host=~"$host"} ${JAS('records', 'records_region')}) == 1`, '{{records_region}}: {{host}} → {{region}}'],
      ]),
      stat('Distinct answers per host', 'none', 'Different answers the regions give for each host; above 1 for a minute is split brain (alert GslbSplitBrain).', [
        [`count by (host) (count_values by (host) ("digest", meridian_records_host_answer_digest{host=~"$host"}))`, '{{host}}'],
      ]),
      ts('Answer changes (failovers)', 'none', "Times each host's answer changed in the time range, per region.", [
        [`sum by (region, host) (changes(meridian_records_host_answer_digest{host=~"$host"}[$__range]) ${J('records')})`, '{{region}} {{host}}'],
      ]),
      ts('Local endpoints (k8gb)', 'none', 'Healthy local targets per localtargets-<host> name (alert GslbEndpointDown at 0).', [
        [`k8gb_endpoint_status_num ${J('prober')}`, '{{region}} {{dns_name}}'],
      ]),
      ts('Local targets by state', 'none', "The prober's local targets by health state.", [[`sum by (region, state) (meridian_prober_targets ${J('prober')})`, '{{region}} {{state}}']]),
      ts('Health transitions', 'none', 'Local target health changes, by old and new state.', [
        [`sum by (region, from, to) (increase(meridian_prober_target_transitions_total[${RI}]) ${J('prober')})`, '{{region}} {{from}} → {{to}}'],
      ]),
      ts('Probes by result', 'ops', 'Active check probes per second, by type and result.', [
        [`sum by (region, type, result) (rate(meridian_prober_checks_total[${RI}]) ${J('prober')})`, '{{region}} {{type}} {{result}}'],
      ]),
      ts('Probe failures by reason', 'ops', 'Failed probes per second, by reason (timeout, refused, status, ...).', [
        [`sum by (region, reason) (rate(meridian_prober_check_failures_total[${RI}]) ${J('prober')})`, '{{region}} {{reason}}'],
      ]),
      ts('Probe duration p99', 's', 'How long probes take, by check type.', [[q(0.99, 'meridian_prober_check_duration_seconds_bucket', 'region, type', J('prober')), '{{region}} {{type}}']]),
      ts('Fail-open hosts', 'none', 'Hosts answering every target because none is healthy (whenAllUnhealthy: failOpen).', [
        [`sum by (region) (meridian_records_fail_open_hosts ${J('records')})`, '{{region}}'],
      ]),
      ts('Healthy records per Gslb (k8gb)', 'none', "k8gb's healthy_records: targets in each Gslb's answers.", [
        [`k8gb_gslb_healthy_records ${J('records')}`, '{{region}} {{namespace}}/{{name}}'],
      ]),
    ],
  },
  {
    file: 'meridian-regions-witnesses.json',
    uid: 'meridian-regions-witnesses',
    title: 'Meridian / Regions and witnesses',
    tags: ['meridian', 'gslb', 'witness', 'peers'],
    description: 'Witness verdicts and quorum, observations, peer connections and streams between regions.',
    vars: [regionVar],
    panels: [
      table('Verdicts', 'none', "Each region's verdict on every region (witness_region judges region).", [
        [`max by (witness_region, region, state) (meridian_witness_verdict_state ${JAS('witness', 'witness_region')}) == 1`, '{{witness_region}} → {{region}}: {{state}}'],
      ]),
      ts('Quorum reached', 'none', '1 when a quorum of witnesses agrees on the region (alert MeridianQuorumLost at 0 for 2 m).', [
        [`max by (witness_region, region) (splitbrain_quorum_reached ${JAS('witness', 'witness_region')})`, '{{witness_region}} → {{region}}'],
      ]),
      ts('Witnesses reachable', 'none', '1 when the witness answered the latest round (alert MeridianWitnessUnreachable).', [
        [`max by (region, witness) (splitbrain_witness_reachable ${J('witness')})`, '{{region}} asks {{witness}}'],
      ]),
      ts('Verdict changes and promotions', 'none', 'Verdict changes by new state, and DOWN decisions (promotions), in the time range.', [
        [`sum by (witness_region, region, state) (increase(meridian_witness_verdict_changes_total[$__range]) ${JAS('witness', 'witness_region')})`, '{{witness_region}} → {{region}} {{state}}'],
        [`sum by (witness_region, region) (increase(splitbrain_promotions_total[$__range]) ${JAS('witness', 'witness_region')})`, 'promotions {{witness_region}} → {{region}}'],
      ]),
      ts('Observations by result', 'ops', 'Heartbeat observations per second, by observer and result (FRESH, STALE, FAILED).', [
        [`sum by (witness_region, observer, region, result) (rate(meridian_witness_observations_total[${RI}]) ${JAS('witness', 'witness_region')})`, '{{witness_region}}: {{observer}} sees {{region}} {{result}}'],
      ]),
      ts('Observation latency p99', 's', 'Time from asking a witness to its answer.', [[q(0.99, 'meridian_witness_observation_latency_seconds_bucket', 'region, observer', J('witness')), '{{region}} via {{observer}}']]),
      ts('Peer connection state', 'none', '1 while the peer is connected (alert MeridianPeerDown at 0 for 1 m).', [[`max by (region, peer) (meridian_peer_sync_peer_up ${J('peer-sync')})`, '{{region}} → {{peer}}']]),
      ts('Peer last contact', 's', 'Seconds since anything (heartbeats included) came from the peer.', [
        [`max by (region, peer) (meridian_peer_sync_peer_last_contact_age_seconds ${J('peer-sync')})`, '{{region}} → {{peer}}'],
      ]),
      ts('Stream reconnects', 'none', 'Exchange sessions by outcome, and WatchZone snapshots sent (each DNS (re)subscription), in the time range.', [
        [`sum by (region, peer, outcome) (increase(meridian_peer_sync_exchange_sessions_total[$__range]) ${J('peer-sync')})`, 'exchange {{region}} → {{peer}} {{outcome}}'],
        [`sum by (region) (increase(meridian_records_watch_messages_sent_total{kind="snapshot"}[$__range]) ${J('records')})`, 'WatchZone snapshots {{region}}'],
      ]),
      ts('Exchange messages', 'ops', 'Exchange messages per second, by kind and direction.', [
        [`sum by (region, kind, direction) (rate(meridian_peer_sync_exchange_messages_total[${RI}]) ${J('peer-sync')})`, '{{region}} {{direction}} {{kind}}'],
      ]),
      ts('Peer update latency p99', 's', "Time from a host's observation in its region to its delta applied here (includes clock skew).", [
        [q(0.99, 'meridian_peer_sync_update_latency_seconds_bucket', 'region, peer', J('peer-sync')), '{{region}} ← {{peer}}'],
      ]),
      table('records input streams', 'none', "State of records' inputs (prober, peer_sync, witness).", [
        [`max by (region, input, state) (meridian_records_input_state ${J('records')}) == 1`, '{{region}} {{input}} {{state}}'],
      ]),
      ts('Remote hosts per peer', 'none', 'Hosts last received from each peer region.', [[`max by (region, peer) (meridian_peer_sync_remote_hosts ${J('peer-sync')})`, '{{region}} ← {{peer}}']]),
    ],
  },
];

function panelJson(p, id, gridPos) {
  const refIds = 'ABCDEFGHIJ';
  const base = {
    id,
    type: p.kind,
    title: p.title,
    description: p.description,
    datasource: DS,
    gridPos,
    targets: p.targets.map((t, i) => ({ refId: refIds[i], datasource: DS, expr: t.expr, legendFormat: t.legendFormat, range: p.kind !== 'table', instant: p.kind === 'table' })),
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
  };
  if (p.kind === 'timeseries') base.options = { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
  if (p.kind === 'stat') base.options = { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' };
  if (p.kind === 'table') {
    base.options = { showHeader: true };
    base.targets = base.targets.map((t) => ({ ...t, format: 'table' }));
  }
  return base;
}

export function buildDashboards() {
  return dashboards.map((d) => {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const panels = d.panels.map((p, i) => {
      const w = p.kind === 'stat' ? 6 : 12;
      const h = p.kind === 'stat' ? 5 : 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const gridPos = { h, w, x, y };
      x += w;
      rowHeight = Math.max(rowHeight, h);
      return panelJson(p, i + 1, gridPos);
    });
    const json = {
      uid: d.uid,
      title: d.title,
      description: d.description,
      tags: d.tags,
      editable: true,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      refresh: '30s',
      time: { from: 'now-1h', to: 'now' },
      timepicker: {},
      timezone: 'browser',
      annotations: { list: [] },
      links: [{ title: 'Meridian dashboards', type: 'dashboards', tags: ['meridian'], asDropdown: true, includeVars: true, keepTime: true }],
      templating: { list: [datasourceVar, ...d.vars] },
      panels,
    };
    return { file: d.file, text: JSON.stringify(json, null, 2) + '\n' };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const { file, text } of buildDashboards()) {
    const path = join(DASHBOARD_DIR, file);
    let current;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    if (check) stale.push(file);
    else writeFileSync(path, text);
  }
  if (stale.length > 0) {
    process.stderr.write(`dashboards out of date: ${stale.join(', ')}; run node tools/observability/dashboards/generate.mjs\n`);
    process.exit(1);
  }
}
