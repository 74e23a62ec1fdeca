import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for the demo's sample app: /healthz answers `status`, which the test changes. */
export interface SampleApp {
  port: number;
  status: number;
  /** When the status last changed (ms). */
  changedAt: number;
  setStatus(status: number): void;
  close(): Promise<void>;
}

export async function startSampleApp(): Promise<SampleApp> {
  const app = { status: 200, changedAt: 0 } as SampleApp;
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(req.url === '/healthz' ? app.status : 404);
    res.end(app.status === 200 ? 'ok' : 'failing');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.port = (server.address() as AddressInfo).port;
  app.setStatus = (status) => {
    app.status = status;
    app.changedAt = Date.now();
  };
  app.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return app;
}
