/** Record data, by what its RDATA holds. */
export type RData =
  /** A and AAAA. */
  | { kind: 'address'; address: string }
  /** NS, CNAME. */
  | { kind: 'name'; name: string }
  | {
      kind: 'soa';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | { kind: 'txt'; texts: string[] }
  | { kind: 'hinfo'; cpu: string; os: string }
  /** Anything else, kept verbatim (RFC 3597). */
  | { kind: 'raw'; bytes: Buffer };

/** One resource record in presentation-friendly form. Names have no trailing dot. */
export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

/** An EDNS option, raw. */
export interface EdnsOptionData {
  code: number;
  data: Buffer;
}

/** An EDNS Client Subnet option (RFC 7871). */
export interface ClientSubnet {
  /** 1 = IPv4, 2 = IPv6. */
  family: number;
  sourcePrefix: number;
  scopePrefix: number;
  /** The address as sent (host bits zero), in text form. */
  address: string;
}

/** The OPT pseudo-record, decoded (RFC 6891). */
export interface Edns {
  payloadSize: number;
  version: number;
  dnssecOk: boolean;
  /** The upper 8 bits of the 12-bit rcode. */
  extendedRcode: number;
  options: EdnsOptionData[];
  clientSubnet?: ClientSubnet;
}

/** A whole DNS message, decoded. `rcode` is the full 12-bit code (OPT's upper bits merged). */
export interface DnsMessage {
  id: number;
  flags: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  cd: boolean;
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Additional records, OPT excluded (see `edns`). */
  additionals: ResourceRecord[];
  edns?: Edns;
}
