import { connect, type LookupFunction } from 'node:net';
import type { CheckSpec } from '../check-spec';
import { describeError, elapsedMs, ProbeTimeout, type ProbeEndpoint, type ProbeResult, type ProbeSession, type Prober } from './prober';

/** TCP connect checks: passes when the connection is accepted within the timeout. */
export class TcpProber implements Prober {
  readonly types = ['tcp'] as const;

  /** `lookup` replaces DNS resolution of target names (tests inject failures with it). */
  constructor(private readonly lookup?: LookupFunction) {}

  open(check: CheckSpec, endpoint: ProbeEndpoint): ProbeSession {
    return { probe: () => probeTcp(check, endpoint, this.lookup), close: () => undefined };
  }

  close(): void {
    // Sessions hold what they need and close it themselves.
  }
}

function probeTcp(check: CheckSpec, endpoint: ProbeEndpoint, lookup: LookupFunction | undefined): Promise<ProbeResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port, ...(lookup ? { lookup } : {}) });
    const timer = setTimeout(() => socket.destroy(new ProbeTimeout('timeout')), check.timeoutMs);
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => finish({ passed: true, latencyMs: elapsedMs(started), message: 'TCP connection accepted' }));
    socket.once('error', (err) => finish({ passed: false, latencyMs: elapsedMs(started), ...describeError(err, endpoint, check.timeoutMs) }));
  });
}
