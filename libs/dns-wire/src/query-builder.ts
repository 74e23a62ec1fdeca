import { EdnsOption, Flag } from './constants';
import { addressToBytes } from './ip-address';
import { MessageWriter } from './message-writer';
import type { EdnsOptionData } from './resource-record';

export interface QueryEdnsOptions {
  /** Our receive buffer, advertised to the server (default 1232). */
  payloadSize?: number;
  version?: number;
  dnssecOk?: boolean;
  /** Sent as an ECS option (RFC 7871): "192.0.2.0/24" or "2001:db8::/48". */
  clientSubnet?: string;
  options?: EdnsOptionData[];
}

export interface QueryOptions {
  name: string;
  type: number;
  class?: number;
  id: number;
  /** Recursion desired; off by default, as asking an authoritative server. */
  recursionDesired?: boolean;
  /** Adds an OPT record; omit for a plain RFC 1035 query. */
  edns?: QueryEdnsOptions;
}

/** A query message in wire format. */
export function buildQuery(options: QueryOptions): Buffer {
  const writer = new MessageWriter();
  writer.header({ id: options.id, flags: options.recursionDesired ? Flag.RD : 0, qdcount: 1, arcount: options.edns ? 1 : 0 });
  writer.question(options.name, options.type, options.class ?? 1);
  if (options.edns) {
    const extra = [...(options.edns.options ?? [])];
    if (options.edns.clientSubnet) extra.push(clientSubnetOption(options.edns.clientSubnet));
    writer.opt({
      payloadSize: options.edns.payloadSize ?? 1232,
      version: options.edns.version ?? 0,
      dnssecOk: options.edns.dnssecOk ?? false,
      options: extra,
    });
  }
  return writer.finish();
}

/** "192.0.2.0/24" → the ECS option bytes (only ceil(prefix/8) address bytes, host bits cleared). */
export function clientSubnetOption(cidr: string): EdnsOptionData {
  const [address = '', prefixText] = cidr.split('/');
  const family = address.includes(':') ? 6 : 4;
  const bytes = addressToBytes(address, family);
  const prefix = prefixText === undefined ? bytes.length * 8 : Number(prefixText);
  const kept = Buffer.from(bytes.subarray(0, Math.ceil(prefix / 8)));
  if (prefix % 8 !== 0 && kept.length > 0) kept[kept.length - 1] = (kept[kept.length - 1] as number) & (0xff << (8 - (prefix % 8)));
  const data = Buffer.alloc(4 + kept.length);
  data.writeUInt16BE(family === 4 ? 1 : 2, 0);
  data[2] = prefix;
  data[3] = 0;
  kept.copy(data, 4);
  return { code: EdnsOption.ECS, data };
}

