import type { CheckSpec, CheckType } from '../check-spec';

/** Where one probe goes. */
export interface ProbeEndpoint {
  /** An IP address or a DNS name (resolved at probe time; a failed lookup is a failed probe). */
  host: string;
  port: number;
  /** The GSLB host: the default Host header and TLS server name of a per-target probe. */
  gslbHost: string;
}

/** Why a probe failed, for the failures metric; bounded so it can be a label. */
export type FailureReason = 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'unreachable' | 'status' | 'body' | 'not_serving' | 'error';

export interface ProbeResult {
  passed: boolean;
  /** What was seen: the status, the error, and where. */
  message: string;
  latencyMs: number;
  reason?: FailureReason;
}

/** One check against one endpoint; may hold a connection between probes. Never rejects. */
export interface ProbeSession {
  probe(): Promise<ProbeResult>;
  close(): void;
}

/** A kind of active check (CoreDNS-style: small implementations behind one interface). */
export interface Prober {
  readonly types: readonly CheckType[];
  open(check: CheckSpec, endpoint: ProbeEndpoint): ProbeSession;
  close(): void;
}

/** Probers by check type. */
export class ProberRegistry {
  private readonly byType = new Map<CheckType, Prober>();

  constructor(private readonly probers: readonly Prober[]) {
    for (const p of probers) for (const t of p.types) this.byType.set(t, p);
  }

  open(check: CheckSpec, endpoint: ProbeEndpoint): ProbeSession {
    const prober = this.byType.get(check.type);
    if (!prober) throw new Error(`no prober for check type ${check.type}`);
    return prober.open(check, endpoint);
  }

  close(): void {
    for (const p of this.probers) p.close();
  }
}

/** Maps a socket or TLS error to a reason and a sentence. */
export function describeError(err: unknown, endpoint: ProbeEndpoint, timeoutMs: number): { reason: FailureReason; message: string } {
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const where = `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  if (e instanceof ProbeTimeout || code === 'ETIMEDOUT') return { reason: 'timeout', message: `no answer from ${where} within ${timeoutMs} ms` };
  if (code === 'ECONNREFUSED') return { reason: 'refused', message: `connection to ${where} refused` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return { reason: 'dns', message: `DNS lookup of ${endpoint.host} failed (${code})` };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/.test(String(e?.message))) return { reason: 'reset', message: `connection to ${where} reset (${code || 'socket hang up'})` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return { reason: 'unreachable', message: `${where} is unreachable (${code})` };
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) || /certificate|SSL|TLS/i.test(String(e?.message))) {
    return { reason: 'tls', message: `TLS with ${where} failed: ${String(e?.message ?? code)}${code ? ` (${code})` : ''}` };
  }
  return { reason: 'error', message: `probe of ${where} failed: ${String(e?.message ?? err)}${code ? ` (${code})` : ''}` };
}

/** The error a probe is aborted with when its timeout fires. */
export class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
