// The local servers the prober benchmark checks: one HTTP listener per loopback address
// (127.0.0.1 .. 127.0.0.N) on one port, plus a "flip" server whose /healthz status the
// benchmark toggles to measure how fast a change reaches a WatchLocalTargets subscriber.
// Runs as its own process so its CPU is not counted as the prober's.
//   node servers.mjs <addresses> <port> <flipPort>   → prints {"ready":true} when listening
import { createServer } from 'node:http';

const [count, port, flipPort] = process.argv.slice(2).map(Number);
let requests = 0;
let flipStatus = 200;

const answer = (req, res) => {
  requests++;
  req.resume();
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
  res.end('ok');
};

const listen = (server, p, host) => new Promise((resolve, reject) => server.once('error', reject).listen(p, host, resolve));

for (let i = 1; i <= count; i++) {
  const server = createServer(answer);
  server.keepAliveTimeout = 5000;
  await listen(server, port, `127.0.0.${i}`);
}

const flip = createServer((req, res) => {
  req.resume();
  if (req.url === '/control/up') flipStatus = 200;
  else if (req.url === '/control/down') flipStatus = 503;
  else if (req.url === '/control/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ requests }));
    return;
  }
  res.writeHead(req.url.startsWith('/control/') ? 200 : flipStatus);
  res.end();
});
await listen(flip, flipPort, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.on('SIGTERM', () => process.exit(0));
