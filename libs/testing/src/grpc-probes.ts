import { credentials, loadPackageDefinition, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { GrpcReflection } from 'grpc-js-reflection-client';

interface HealthClient extends Client {
  check(req: { service: string }, cb: (err: ServiceError | null, res?: { status: string }) => void): void;
  watch(req: { service: string }): ClientReadableStream<{ status: string }>;
}

type HealthCtor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient;

let healthCtor: HealthCtor | undefined;

/** A client of grpc.health.v1.Health built from the standard proto, not from our code. */
export function healthClient(address: string): HealthClient {
  healthCtor ??= (
    loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: HealthCtor } } };
    }
  ).grpc.health.v1.Health;
  return new healthCtor(address, credentials.createInsecure());
}

/** `grpc.health.v1.Health/Check` → "SERVING", "NOT_SERVING", or the error code name. */
export async function checkHealth(address: string, service = ''): Promise<string> {
  const client = healthClient(address);
  try {
    return await new Promise<string>((resolve) =>
      client.check({ service }, (err, res) => resolve(err ? `error ${err.code}: ${err.details}` : String(res?.status))),
    );
  } finally {
    client.close();
  }
}

/** The services a server lists through reflection, asked with the third-party grpc-js-reflection-client. */
export async function listServicesByReflection(address: string, version: 'v1' | 'v1alpha' = 'v1'): Promise<string[]> {
  const reflection = new GrpcReflection(address, credentials.createInsecure(), {}, version);
  return (await reflection.listServices()).sort();
}

/** The method names of a service, described through reflection (what `grpcurl describe` shows). */
export async function describeServiceByReflection(address: string, service: string, version: 'v1' | 'v1alpha' = 'v1'): Promise<string[]> {
  const reflection = new GrpcReflection(address, credentials.createInsecure(), {}, version);
  const methods = await reflection.listMethods(service);
  return methods.map((m) => m.name).sort();
}

/** Scrapes a metrics endpoint on loopback. */
export async function scrapeMetrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}
