import type { CommandContext } from './command-context';
import { formatHosts } from './format-hosts';
import { hostAnswers } from './zone-hosts';
import { zoneSnapshot } from './zone-snapshot';

/** hosts: each host's current answer per address family, for every region asked. */
export async function hostsCommand(context: CommandContext): Promise<void> {
  const snapshots = await Promise.all(context.regions.map(async (clients) => ({ region: clients.region, response: await zoneSnapshot(clients, context.timeoutMs) })));
  const rows = snapshots.flatMap(({ region, response }) => hostAnswers(region, response));
  if (context.json) {
    context.out(
      JSON.stringify(
        snapshots.map(({ region, response }) => ({ region, epoch: response.epoch, version: response.version, hosts: hostAnswers(region, response) })),
        null,
        2,
      ),
    );
  } else {
    context.out(formatHosts(rows));
  }
}
