// WatchVerdicts of a witness, as a benchmark follows it: the latest verdict per region and
// every state each region went through (used by the witness and partition benchmarks).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(join(root, 'package.json'));

/** The latest verdict per region from WatchVerdicts, and the states each region went through. */
export function watchVerdicts(address) {
  const { credentials } = require('@grpc/grpc-js');
  const { WitnessServiceClient, VerdictState } = require(join(root, 'libs/proto/dist/index.js'));
  const client = new WitnessServiceClient(address, credentials.createInsecure());
  const stream = client.watchVerdicts({ clientId: 'bench', epoch: '', sinceVersion: 0 });
  const latest = new Map();
  const seen = [];
  const name = (s) => VerdictState[s].replace('VERDICT_STATE_', '');
  stream.on('data', (m) => {
    const verdicts = m.event?.snapshot?.verdicts ?? m.event?.delta?.changed ?? [];
    for (const v of verdicts) {
      const view = { state: name(v.state), lastDecided: name(v.lastDecided), at: Date.now() };
      latest.set(v.region, view);
      seen.push({ region: v.region, ...view });
    }
  });
  stream.on('error', () => undefined);
  return {
    latest,
    seen,
    async until(region, test, timeoutMs = 60_000) {
      const started = Date.now();
      while (!(latest.get(region) && test(latest.get(region)))) {
        if (Date.now() - started > timeoutMs) throw new Error(`${region}: condition not met within ${timeoutMs} ms (latest ${JSON.stringify(latest.get(region))})`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - started;
    },
    close() {
      stream.cancel();
      client.close();
    },
  };
}

