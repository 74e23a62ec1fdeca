import { EdnsOption, Flag, HEADER_LENGTH, RRType } from './constants';
import { decodeName } from './domain-name';
import { bytesToAddress } from './ip-address';
import type { ClientSubnet, DnsMessage, Edns, EdnsOptionData, Question, RData, ResourceRecord } from './resource-record';
import { WireFormatError } from './wire-format-error';

/**
 * Decodes a whole DNS message: every section, A/AAAA/NS/CNAME/SOA/TXT/HINFO data, the OPT
 * record and its ECS option. For clients and tests, not for the per-query path. Throws
 * WireFormatError on anything malformed, including RDATA that does not fill its RDLENGTH.
 */
export function decodeMessage(message: Uint8Array): DnsMessage {
  const buf = Buffer.from(message.buffer, message.byteOffset, message.length);
  if (buf.length < HEADER_LENGTH) throw new WireFormatError(`message of ${buf.length} bytes has no complete header`);
  const flags = buf.readUInt16BE(2);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  let offset = HEADER_LENGTH;
  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const { name, next } = decodeName(buf, offset);
    if (next + 4 > buf.length) throw new WireFormatError('question runs past the end', next);
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
    offset = next + 4;
  }
  const sections: ResourceRecord[][] = [[], [], []];
  let edns: Edns | undefined;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < (counts[s + 1] as number); i++) {
      const { name, next } = decodeName(buf, offset);
      if (next + 10 > buf.length) throw new WireFormatError('record header runs past the end', next);
      const type = buf.readUInt16BE(next);
      const cls = buf.readUInt16BE(next + 2);
      const ttl = buf.readUInt32BE(next + 4);
      const rdlength = buf.readUInt16BE(next + 8);
      const start = next + 10;
      const end = start + rdlength;
      if (end > buf.length) throw new WireFormatError(`RDLENGTH ${rdlength} runs past the end`, next + 8);
      if (type === RRType.OPT && s === 2) {
        if (edns) throw new WireFormatError('more than one OPT record', next);
        edns = decodeOpt(buf, cls, ttl, start, end);
      } else {
        (sections[s] as ResourceRecord[]).push({ name, type, class: cls, ttl, data: decodeRData(buf, type, start, end) });
      }
      offset = end;
    }
  }
  const rcode = (flags & 0xf) | ((edns?.extendedRcode ?? 0) << 4);
  return {
    id: buf.readUInt16BE(0),
    flags,
    qr: (flags & Flag.QR) !== 0,
    opcode: (flags >>> 11) & 0xf,
    aa: (flags & Flag.AA) !== 0,
    tc: (flags & Flag.TC) !== 0,
    rd: (flags & Flag.RD) !== 0,
    ra: (flags & Flag.RA) !== 0,
    cd: (flags & Flag.CD) !== 0,
    rcode,
    questions,
    answers: sections[0] as ResourceRecord[],
    authorities: sections[1] as ResourceRecord[],
    additionals: sections[2] as ResourceRecord[],
    ...(edns ? { edns } : {}),
  };
}

function decodeRData(buf: Buffer, type: number, start: number, end: number): RData {
  const expectEnd = (at: number): void => {
    if (at !== end) throw new WireFormatError(`RDATA of type ${type} is ${end - start} bytes, its fields take ${at - start}`, start);
  };
  switch (type) {
    case RRType.A:
    case RRType.AAAA: {
      const size = type === RRType.A ? 4 : 16;
      expectEnd(start + size);
      return { kind: 'address', address: bytesToAddress(buf.subarray(start, end), type === RRType.A ? 4 : 6) };
    }
    case RRType.NS:
    case RRType.CNAME: {
      const { name, next } = decodeName(buf, start);
      expectEnd(next);
      return { kind: 'name', name };
    }
    case RRType.SOA: {
      const mname = decodeName(buf, start);
      const rname = decodeName(buf, mname.next);
      const at = rname.next;
      expectEnd(at + 20);
      return {
        kind: 'soa',
        mname: mname.name,
        rname: rname.name,
        serial: buf.readUInt32BE(at),
        refresh: buf.readUInt32BE(at + 4),
        retry: buf.readUInt32BE(at + 8),
        expire: buf.readUInt32BE(at + 12),
        minimum: buf.readUInt32BE(at + 16),
      };
    }
    case RRType.TXT:
    case RRType.HINFO: {
      const texts: string[] = [];
      let at = start;
      while (at < end) {
        const len = buf[at] as number;
        if (at + 1 + len > end) throw new WireFormatError('character-string runs past its RDATA', at);
        texts.push(buf.toString('utf8', at + 1, at + 1 + len));
        at += 1 + len;
      }
      if (type === RRType.TXT) return { kind: 'txt', texts };
      if (texts.length !== 2) throw new WireFormatError('HINFO needs two character-strings', start);
      return { kind: 'hinfo', cpu: texts[0] as string, os: texts[1] as string };
    }
    default:
      return { kind: 'raw', bytes: Buffer.from(buf.subarray(start, end)) };
  }
}

function decodeOpt(buf: Buffer, payloadSize: number, ttl: number, start: number, end: number): Edns {
  const options: EdnsOptionData[] = [];
  let clientSubnet: ClientSubnet | undefined;
  let at = start;
  while (at < end) {
    if (at + 4 > end) throw new WireFormatError('EDNS option header runs past the OPT RDATA', at);
    const code = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    if (at + 4 + len > end) throw new WireFormatError('EDNS option runs past the OPT RDATA', at);
    const data = Buffer.from(buf.subarray(at + 4, at + 4 + len));
    options.push({ code, data });
    if (code === EdnsOption.ECS) clientSubnet = decodeClientSubnet(data, at);
    at += 4 + len;
  }
  return {
    payloadSize,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
    options,
    ...(clientSubnet ? { clientSubnet } : {}),
  };
}

function decodeClientSubnet(data: Buffer, at: number): ClientSubnet {
  if (data.length < 4) throw new WireFormatError('ECS option shorter than 4 bytes', at);
  const family = data.readUInt16BE(0);
  if (family !== 1 && family !== 2) throw new WireFormatError(`ECS family ${family} is neither 1 nor 2`, at);
  return {
    family,
    sourcePrefix: data[2] as number,
    scopePrefix: data[3] as number,
    address: bytesToAddress(data.subarray(4), family === 1 ? 4 : 6),
  };
}
