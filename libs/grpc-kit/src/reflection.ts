import type { Server } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/**
 * Adds server reflection, v1 and v1alpha, so `grpcurl list` and `describe` work. It describes
 * the services in `descriptorSet` (a serialized FileDescriptorSet, imports included) and the
 * standard health service.
 */
export function addReflection(server: Pick<Server, 'addService'>, descriptorSet: Buffer): void {
  const ours = loadFileDescriptorSetFromBuffer(descriptorSet);
  const health = loadSync(healthProtoPath);
  new ReflectionService({ ...health, ...ours }).addToServer(server);
}
