#!/usr/bin/env node
// Forwards connections from a Unix socket to a TCP port, run inside a network namespace:
//   node unix-forwarder.js SOCKET HOST PORT
// Unix sockets live in the file system, which namespaces share, so the test process on the
// host reaches a service inside a namespace without any route or address on the host.
// Prints {"forwarding": ...} once listening; exits when stdin closes or on SIGTERM.
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const [socketPath, host, port] = process.argv.slice(2);
if (!socketPath || !host || !port) {
  process.stderr.write('usage: unix-forwarder SOCKET HOST PORT\n');
  process.exit(2);
}
rmSync(socketPath, { force: true });
const server = createServer((inbound) => {
  const outbound = connect({ host, port: Number(port) });
  inbound.pipe(outbound).pipe(inbound);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', close);
  outbound.on('error', close);
  inbound.on('close', close);
  outbound.on('close', close);
});
server.listen(socketPath, () => process.stdout.write(`${JSON.stringify({ forwarding: { socketPath, host, port: Number(port) } })}\n`));
const stop = () => {
  server.close();
  rmSync(socketPath, { force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
