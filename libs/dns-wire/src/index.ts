// Constants and errors
export {
  CLASSIC_UDP_PAYLOAD,
  EDNS_DO,
  EdnsOption,
  Flag,
  HEADER_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  Opcode,
  RCode,
  RRClass,
  RRType,
  rcodeName,
  rrTypeCode,
  rrTypeName,
  type RCodeName,
  type RRTypeName,
} from './constants';
export { WireFormatError } from './wire-format-error';

// Names and addresses
export { decodeName, encodeName, isSubdomain, nameLabels, normalizeName, type DecodedName } from './domain-name';
export { wireNameEquals, wireNameHash } from './wire-name';
export { addressToBytes, bytesToAddress } from './ip-address';

// Messages
export type { ClientSubnet, DnsMessage, Edns, EdnsOptionData, Question, RData, ResourceRecord } from './resource-record';
export { MessageWriter, splitTxt, type HeaderFields, type OptFields } from './message-writer';
export { decodeMessage } from './message-decoder';
export { buildQuery, clientSubnetOption, type QueryEdnsOptions, type QueryOptions } from './query-builder';

// The per-query request parser
export { createParsedQuery, parseQuery, QueryVerdict, type ParsedQuery, type QueryVerdictCode } from './query-parser';

// Clients and the dns2 reference decoder
export { DnsClientError, type DnsClient, type DnsClientQuery } from './dns-client';
export { WireDnsClient, type WireDnsClientOptions } from './wire-dns-client';
export { exchangeTcp, type TcpExchangeOptions } from './tcp-exchange';
export { Dns2ReferenceDecoder, type MessageSummary, type ReferenceDecoder } from './dns2-reference-decoder';
