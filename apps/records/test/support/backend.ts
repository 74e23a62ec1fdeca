import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A sample backend on its own loopback address: /healthz answers `status`, which the test changes. */
export interface Backend {
  readonly address: string;
  readonly port: number;
  status: number;
  close(): Promise<void>;
}

/** Starts one backend per address, all on the same port (the prober probes each target at one port). */
export async function startBackends(addresses: string[]): Promise<Backend[]> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const backends: Backend[] = [];
    try {
      let port = 0;
      for (const address of addresses) {
        const backend = await startOne(address, port);
        port = backend.port;
        backends.push(backend);
      }
      return backends;
    } catch {
      await Promise.all(backends.map((b) => b.close()));
    }
  }
  throw new Error(`could not find a port free on ${addresses.join(', ')}`);
}

async function startOne(address: string, port: number): Promise<Backend> {
  const backend = { address, status: 200 } as Backend & { port: number };
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(req.url === '/healthz' ? backend.status : 404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  backend.port = (server.address() as AddressInfo).port;
  backend.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return backend;
}
