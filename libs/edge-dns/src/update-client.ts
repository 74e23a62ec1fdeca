import { randomInt } from 'node:crypto';
import { decodeMessage, exchangeTcp, rcodeName } from '@meridian/dns-wire';
import { EdgeDnsError, EdgeDnsUpdateRefusedError, TsigVerificationError } from './edge-dns-error';
import { buildUpdateMessage, type UpdateOperation } from './dns-update';
import { findTsig, signMessage, TsigError, tsigErrorName, verifyResponse } from './tsig';
import type { TsigKey } from './tsig-key';

/** Sends RFC 2136 updates to a zone's primary. Resolves once applied; rejects with an EdgeDnsError. */
export interface DnsUpdater {
  update(zone: string, updates: readonly UpdateOperation[]): Promise<void>;
}

export interface TsigUpdateClientOptions {
  host: string;
  port: number;
  key: TsigKey;
  timeoutMs?: number;
  now?: () => Date;
}

/** Update response codes of RFC 2136 §2.2 beyond the RFC 1035 ones. */
const NOTAUTH = 9;

/**
 * RFC 2136 dynamic updates signed with TSIG (RFC 8945), over TCP. The response must be signed
 * with the same key; errors say what the server objected to and what to fix.
 */
export class TsigUpdateClient implements DnsUpdater {
  private readonly server: string;
  private readonly now: () => Date;

  constructor(private readonly options: TsigUpdateClientOptions) {
    this.server = `${options.host}:${options.port}`;
    this.now = options.now ?? (() => new Date());
  }

  async update(zone: string, updates: readonly UpdateOperation[]): Promise<void> {
    const { key } = this.options;
    const id = randomInt(0, 65536);
    const signed = signMessage(buildUpdateMessage({ id, zone, updates }), key, this.now());
    let reply: Buffer;
    try {
      const replies = await exchangeTcp([signed.message], { host: this.options.host, port: this.options.port, timeoutMs: this.options.timeoutMs ?? 5000 });
      reply = replies[0] as Buffer;
    } catch (cause) {
      throw new EdgeDnsError(`update of ${zone} not sent or not answered: ${(cause as Error).message}`, this.server, { cause });
    }
    let decoded;
    try {
      decoded = decodeMessage(reply);
    } catch (cause) {
      throw new EdgeDnsError(`the answer to the update of ${zone} is not a DNS message`, this.server, { cause });
    }
    if (decoded.id !== id) throw new EdgeDnsError(`the answer to the update of ${zone} has ID ${decoded.id}, not ${id}`, this.server);

    const tsig = findTsig(reply);
    if (tsig && tsig.error !== TsigError.NOERROR) {
      throw this.refused(zone, decoded.rcode, tsig.error);
    }
    if (decoded.rcode !== 0) {
      // Verify when we can, but a refusal is reported either way.
      throw this.refused(zone, decoded.rcode, undefined);
    }
    try {
      verifyResponse(reply, key, signed.mac, this.now());
    } catch (err) {
      if (err instanceof TsigVerificationError) {
        throw new EdgeDnsError(`the answer to the update of ${zone} failed TSIG verification: ${err.message}`, this.server, { cause: err });
      }
      throw err;
    }
  }

  private refused(zone: string, rcode: number, tsigError: number | undefined): EdgeDnsUpdateRefusedError {
    const key = this.options.key;
    const rcodeText = rcode === NOTAUTH ? 'NOTAUTH' : (UPDATE_RCODES[rcode] ?? rcodeName(rcode));
    const tsigText = tsigError === undefined ? undefined : tsigErrorName(tsigError);
    let why: string;
    switch (tsigError) {
      case TsigError.BADSIG:
        why = `TSIG signature refused (BADSIG): the secret of key "${key.name}" differs from the server's; use the key file the edge DNS was configured with`;
        break;
      case TsigError.BADKEY:
        why = `TSIG key refused (BADKEY): the server has no key "${key.name}" with algorithm ${key.algorithm}; add it to the server or fix the key name`;
        break;
      case TsigError.BADTIME:
        why = 'TSIG time refused (BADTIME): this clock and the server\'s differ by more than 300 s; fix NTP';
        break;
      case undefined:
        why =
          rcode === 5
            ? `update refused (REFUSED): key "${key.name}" may not update zone ${zone}; allow it with allow-update or update-policy on the server`
            : rcode === NOTAUTH
              ? `the server is not authoritative for ${zone} (NOTAUTH); send updates to the zone's primary`
              : rcode === 10
                ? `a name is outside zone ${zone} (NOTZONE); check the delegated zone and its parent`
                : `update of ${zone} failed with ${rcodeText}`;
        break;
      default:
        why = `TSIG error ${tsigText}`;
    }
    return new EdgeDnsUpdateRefusedError(why, this.server, rcodeText, tsigText);
  }
}

const UPDATE_RCODES: Record<number, string> = { 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };
