import { normalizeName, rcodeName, RRType, type DnsClient, type ResourceRecord } from '@meridian/dns-wire';
import { EdgeDnsError } from './edge-dns-error';

const NOERROR = 0;
const NXDOMAIN = 3;

/**
 * The records of one name and type as the edge DNS holds them: from the answer, or from the
 * authority section when the name is a delegation point (a parent answers NS for a child
 * zone as a referral). NXDOMAIN and NODATA are empty lists; anything else is an EdgeDnsError.
 */
export async function lookupAtEdge(client: DnsClient, server: string, name: string, type: 'A' | 'AAAA' | 'NS'): Promise<string[]> {
  const wanted = normalizeName(name);
  let reply;
  try {
    reply = await client.query({ name: wanted, type: RRType[type] });
  } catch (cause) {
    throw new EdgeDnsError(`query ${wanted} ${type} failed: ${(cause as Error).message}`, server, { cause });
  }
  if (reply.rcode !== NOERROR && reply.rcode !== NXDOMAIN) {
    throw new EdgeDnsError(`query ${wanted} ${type} answered ${rcodeName(reply.rcode)}`, server);
  }
  const records: ResourceRecord[] = [...reply.answers, ...(type === 'NS' ? reply.authorities : [])];
  const values = new Set<string>();
  for (const record of records) {
    if (record.type !== RRType[type] || normalizeName(record.name) !== wanted) continue;
    if (record.data.kind === 'address') values.add(record.data.address);
    else if (record.data.kind === 'name') values.add(normalizeName(record.data.name));
  }
  return [...values].sort();
}
