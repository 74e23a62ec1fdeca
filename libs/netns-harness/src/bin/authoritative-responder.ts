#!/usr/bin/env node
// Runs an AuthoritativeResponder as its own process (inside a network namespace):
//   node authoritative-responder.js CONFIG.json
// CONFIG holds { zone: ZoneSpec, host, port }. Prints one JSON line {"listening": "host:port"}
// once it serves, and exits when its stdin closes (the test process is gone) or on SIGTERM.
import { readFileSync } from 'node:fs';
import { AuthoritativeResponder, type AuthoritativeResponderOptions } from '../authoritative-responder';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: authoritative-responder CONFIG.json');
  const options = JSON.parse(readFileSync(path, 'utf8')) as AuthoritativeResponderOptions;
  const responder = await AuthoritativeResponder.start(options);
  process.stdout.write(`${JSON.stringify({ listening: responder.address })}\n`);
  const stop = () => void responder.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`authoritative-responder: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
