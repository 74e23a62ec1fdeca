#!/usr/bin/env node
// The demo's sample application: one per region, on loopback. `GET /healthz` answers 200
// while healthy and 503 after `POST /fail`; `POST /recover` makes it healthy again. The
// prober's active HTTP check watches /healthz.
//   node tools/demo/sample-app.mjs --region eu --port 18081
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { region: { type: 'string', default: 'eu' }, port: { type: 'string', default: '18081' }, host: { type: 'string', default: '127.0.0.1' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a port number from 1 to 65535, got ${values.port}`);
  process.exit(2);
}

let healthy = true;
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const reply = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');
  if (req.method === 'POST' && path === '/fail') {
    healthy = false;
    return reply(200, { region: values.region, healthy });
  }
  if (req.method === 'POST' && path === '/recover') {
    healthy = true;
    return reply(200, { region: values.region, healthy });
  }
  if (req.method === 'GET' && path === '/healthz') return reply(healthy ? 200 : 503, { region: values.region, healthy });
  if (req.method === 'GET' && path === '/') return reply(200, { region: values.region, healthy, hello: `from region ${values.region}` });
  return reply(404, { error: 'try GET /, GET /healthz, POST /fail or POST /recover' });
});
server.listen(port, values.host, () => {
  console.log(JSON.stringify({ msg: 'sample app listening', region: values.region, address: `${values.host}:${port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
