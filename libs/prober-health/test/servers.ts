import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Server as GrpcServer, ServerCredentials, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { HealthImplementation, service as healthService, type ServingStatus } from 'grpc-health-check';

/** What the test HTTP server answers; tests change it while checks run. */
export interface HttpBehaviour {
  status: number;
  body: string;
  /** Never answer (to exercise timeouts). */
  hang: boolean;
  /** Alternate between `status` and 500 on each request (a flapping target). */
  alternate: boolean;
  /** Answer 500 to this many next requests, then `status` again. */
  failNext: number;
}

export interface TestHttpServer {
  port: number;
  behaviour: HttpBehaviour;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A real HTTP(S) server on 127.0.0.1 port 0 whose answers the test controls. */
export async function startHttpServer(tls?: { cert: string; key: string }, host = '127.0.0.1'): Promise<TestHttpServer> {
  const behaviour: HttpBehaviour = { status: 200, body: 'ok', hang: false, alternate: false, failNext: 0 };
  const requests: IncomingMessage[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req);
    req.resume();
    if (behaviour.hang) return;
    let status = behaviour.alternate && requests.length % 2 === 0 ? 500 : behaviour.status;
    if (behaviour.failNext > 0) {
      behaviour.failNext--;
      status = 500;
    }
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(behaviour.body);
  };
  const server: Server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    behaviour,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestGrpcServer {
  port: number;
  health: HealthImplementation;
  setStatus(service: string, status: ServingStatus): void;
  close(): Promise<void>;
}

/** A gRPC server with the standard health service, or one whose Check never answers (`hang`). */
export async function startGrpcServer(options: { hang?: boolean } = {}): Promise<TestGrpcServer> {
  const server = new GrpcServer();
  const health = new HealthImplementation({ '': 'SERVING' });
  if (options.hang) {
    server.addService(healthService, {
      check: (_call: ServerUnaryCall<unknown, unknown>, _cb: sendUnaryData<unknown>) => undefined,
      watch: () => undefined,
    });
  } else {
    health.addToServer(server);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    health,
    setStatus: (service, status) => health.setStatus(service, status),
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()),
  };
}

export { GrpcStatus };
