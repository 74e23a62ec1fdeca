import { Metadata } from '@grpc/grpc-js';
import {
  GetServingStatusRequest,
  GetServingStatusResponse,
  ListPeersRequest,
  ListPeersResponse,
  PeerStatus,
  RegionVerdict,
  WatchLocalTargetsRequest,
  WatchVerdictsRequest,
  type WatchLocalTargetsResponse,
  type WatchVerdictsResponse,
} from '@meridian/proto';
import { CliFailure } from './cli-errors';
import type { CommandContext } from './command-context';
import { formatStatus } from './format-status';
import { firstMessage, unary } from './grpc-calls';
import type { ServiceClients } from './service-clients';
import { failedParts, settle, type StatusReport } from './status-report';
import { zoneSnapshot } from './zone-snapshot';

/** status: verdicts, peers, zone version, serving status and prober hosts of one region. */
export async function statusCommand(context: CommandContext): Promise<void> {
  const clients = context.regions[0]!;
  const report = await gatherStatus(clients, context.timeoutMs);
  if (context.json) context.out(JSON.stringify(statusJson(report), null, 2));
  else context.out(formatStatus(report));
  const failed = failedParts(report);
  if (failed.length > 0) throw new CliFailure(`${failed.length} of 5 services did not answer:\n${failed.map((f) => `  ${f}`).join('\n')}`);
}

export async function gatherStatus(clients: ServiceClients, timeoutMs: number): Promise<StatusReport> {
  const target = (service: 'witness' | 'peer-sync' | 'records' | 'dns' | 'prober', method: string) => ({ clients, service, method, timeoutMs });
  const [verdicts, peers, zone, dns, prober] = await Promise.all([
    settle(
      firstMessage<WatchVerdictsResponse>(
        target('witness', 'WatchVerdicts'),
        (options) => clients.get('witness').watchVerdicts(WatchVerdictsRequest.fromPartial({ clientId: 'meridianctl' }), new Metadata(), options),
        (m) => m.event?.$case === 'snapshot',
      ).then((m) => (m.event?.$case === 'snapshot' ? m.event.snapshot.verdicts : [])),
    ),
    settle(
      unary<ListPeersResponse>(target('peer-sync', 'ListPeers'), (options, callback) =>
        clients.get('peer-sync').listPeers(ListPeersRequest.fromPartial({}), new Metadata(), options, callback),
      ).then((r) => r.peers),
    ),
    settle(
      zoneSnapshot(clients, timeoutMs).then((m) => ({
        epoch: m.epoch,
        version: m.version,
        zones: m.event?.$case === 'snapshot' ? m.event.snapshot.zones.map((z) => z.header?.origin ?? '?') : [],
      })),
    ),
    settle(
      unary<GetServingStatusResponse>(target('dns', 'GetServingStatus'), (options, callback) =>
        clients.get('dns').getServingStatus(GetServingStatusRequest.fromPartial({}), new Metadata(), options, callback),
      ),
    ),
    settle(
      firstMessage<WatchLocalTargetsResponse>(
        target('prober', 'WatchLocalTargets'),
        (options) => clients.get('prober').watchLocalTargets(WatchLocalTargetsRequest.fromPartial({ clientId: 'meridianctl' }), new Metadata(), options),
        (m) => m.event?.$case === 'snapshot',
      ).then((m) => (m.event?.$case === 'snapshot' ? { region: m.event.snapshot.region, hosts: m.event.snapshot.hosts.length, problems: m.event.snapshot.problems.length } : { region: '', hosts: 0, problems: 0 })),
    ),
  ]);
  return { region: clients.region, verdicts, peers, zone, dns, prober };
}

/** The report with protobuf messages in their canonical JSON form. */
function statusJson(report: StatusReport): unknown {
  return {
    ...report,
    verdicts: report.verdicts.ok ? { ok: true, value: report.verdicts.value.map((v) => RegionVerdict.toJSON(v)) } : report.verdicts,
    peers: report.peers.ok ? { ok: true, value: report.peers.value.map((p) => PeerStatus.toJSON(p)) } : report.peers,
    dns: report.dns.ok ? { ok: true, value: GetServingStatusResponse.toJSON(report.dns.value) } : report.dns,
  };
}
