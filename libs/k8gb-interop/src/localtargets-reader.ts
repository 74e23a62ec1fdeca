import { rcodeName, RRType, normalizeName, type DnsClient } from '@meridian/dns-wire';
import { K8gbPeerUnreachableError } from './k8gb-peer-error';
import { localTargetsName } from './localtargets-name';

/** One nameserver of a k8gb region, and the client that asks it. */
export interface K8gbNameserver {
  /** "host:port", for messages and status. */
  address: string;
  client: DnsClient;
}

/** What a k8gb region answered for `localtargets-<host>`. */
export interface LocalTargetsAnswer {
  host: string;
  /** The nameserver that answered. */
  server: string;
  /** NOERROR, NXDOMAIN…: k8gb removes the name while the host is unhealthy there. */
  rcode: string;
  ipv4: string[];
  ipv6: string[];
}

/**
 * Reads a k8gb region's local targets the way k8gb itself does: an A query (and, for IPv6, an
 * AAAA query) for `localtargets-<host>` on the region's nameservers, tried in order until one
 * answers. NOERROR and NXDOMAIN count as answers (NXDOMAIN: the host has no healthy target
 * there); a timeout, SERVFAIL or REFUSED moves on to the next nameserver, and when none is
 * left it throws K8gbPeerUnreachableError.
 */
export class LocalTargetsReader {
  constructor(
    private readonly nameservers: readonly K8gbNameserver[],
    private readonly timeoutMs = 2000,
  ) {
    if (nameservers.length === 0) throw new Error('a k8gb region needs at least one nameserver');
  }

  async read(host: string): Promise<LocalTargetsAnswer> {
    const name = localTargetsName(host);
    const failures: string[] = [];
    for (const ns of this.nameservers) {
      try {
        const [a, aaaa] = await Promise.all([
          ns.client.query({ name, type: RRType.A, timeoutMs: this.timeoutMs }),
          ns.client.query({ name, type: RRType.AAAA, timeoutMs: this.timeoutMs }),
        ]);
        for (const reply of [a, aaaa]) {
          if (reply.rcode !== 0 && reply.rcode !== 3) throw new Error(`answered ${rcodeName(reply.rcode)}`);
        }
        const pick = (reply: typeof a, type: number) =>
          reply.answers
            .filter((rr) => rr.type === type && normalizeName(rr.name) === name && rr.data.kind === 'address')
            .map((rr) => (rr.data as { address: string }).address)
            .sort();
        return { host: normalizeName(host), server: ns.address, rcode: rcodeName(a.rcode), ipv4: pick(a, RRType.A), ipv6: pick(aaaa, RRType.AAAA) };
      } catch (err) {
        failures.push(`${ns.address}: ${(err as Error).message}`);
      }
    }
    throw new K8gbPeerUnreachableError(`no nameserver answered ${name}: ${failures.join('; ')}`);
  }
}
