import { parseHeartbeatText, type HeartbeatText } from '@meridian/witness-quorum';
import type { DigResult } from '../src/index';

export * from '../src/index';

/** The heartbeat in a dig answer (the first TXT record). */
export function parseHeartbeat(result: DigResult): HeartbeatText {
  const txt = result.answer.find((r) => r.type === 'TXT');
  if (!txt) throw new Error(`no TXT record in the answer (status ${result.status}):\n${result.text}`);
  return parseHeartbeatText(txt.texts);
}

/** The `<prefix><pid>x<id>` every name of a network's run starts with. */
export function runBaseOf(network: { dir: string }): string {
  return network.dir.split('/').pop() as string;
}
