import { status as GrpcStatus } from '@grpc/grpc-js';
import { MALFORMED_PROTOBUF, oversizedMessage } from './bad-grpc-input';
import { checkHealth } from './grpc-probes';
import { rawGrpcCall, type RawMethod } from './raw-grpc';
import { startService, type ServiceProcess } from './service-process';

/** grpc-kit's SERVER_MAX_RECEIVE_MESSAGE_BYTES, restated so a change of the limit shows up here. */
const DEFAULT_RECEIVE_LIMIT = 4 * 1024 * 1024;

export interface BadGrpcInputSuiteOptions {
  /** Config merged over `{ region: 'eu' }`. */
  config?: Record<string, unknown>;
  /** The receive limit the app's config sets (default: grpc-kit's 4 MiB). */
  receiveLimitBytes?: number;
}

/**
 * Bad gRPC input against a running app (issue #11): every method of its service gets bytes
 * that are not a protobuf message (→ INTERNAL or INVALID_ARGUMENT, naming the decode failure), and a message over the
 * receive limit (→ RESOURCE_EXHAUSTED). After each, the same process still reports SERVING.
 */
export function badGrpcInputSuite(app: string, service: string, definition: Record<string, RawMethod>, options: BadGrpcInputSuiteOptions = {}): void {
  const limit = options.receiveLimitBytes ?? DEFAULT_RECEIVE_LIMIT;
  describe(`${app}: bad gRPC input`, () => {
    let proc: ServiceProcess;

    beforeAll(async () => {
      proc = await startService(app, { config: { region: 'eu', ...options.config } });
    });

    afterAll(async () => {
      await proc?.stop('SIGKILL');
    });

    const methods = Object.values(definition).map((m) => [m.path, m] as const);
    const cases = methods.flatMap(([path, method]) => MALFORMED_PROTOBUF.map(([name, bytes]) => [path, name, method, bytes] as const));

    // grpc-js answers INTERNAL when it cannot decode a request; a handler that decodes its own
    // stream (peer-sync's Exchange) answers INVALID_ARGUMENT, naming the decode error.
    it.each(cases)('%s: %s → INTERNAL or INVALID_ARGUMENT, still SERVING', async (_path, _name, method, bytes) => {
      const result = await rawGrpcCall(proc.grpcAddress, method, [bytes]);
      expect([GrpcStatus.INTERNAL, GrpcStatus.INVALID_ARGUMENT]).toContain(result.code);
      expect(result.details).toMatch(/pars|deserializ|decode/i);
      expect(result.messages).toBe(0);
      expect(await checkHealth(proc.grpcAddress, service)).toBe('SERVING');
    });

    it.each(methods)(`%s: a message of the ${limit} byte limit + 1 → RESOURCE_EXHAUSTED, still SERVING`, async (_path, method) => {
      const result = await rawGrpcCall(proc.grpcAddress, method, [oversizedMessage(limit + 1)]);
      expect(result.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      expect(result.messages).toBe(0);
      expect(await checkHealth(proc.grpcAddress, service)).toBe('SERVING');
    });

    it('is the same process it was before the bad input, and it exits cleanly', async () => {
      expect(proc.child.exitCode).toBeNull();
      expect(proc.logs.filter((r) => r['level'] === 'fatal')).toEqual([]);
      expect(await proc.stop('SIGTERM')).toBe(0);
    });
  });
}
