import { GrpcProber } from './grpc-prober';
import { HttpProber } from './http-prober';
import { ProberRegistry } from './prober';
import { TcpProber } from './tcp-prober';

/** HTTP, HTTPS, TCP and gRPC. */
export function createDefaultProbers(): ProberRegistry {
  return new ProberRegistry([new HttpProber(), new TcpProber(), new GrpcProber()]);
}
