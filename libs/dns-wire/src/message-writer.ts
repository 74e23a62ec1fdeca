import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, RRType } from './constants';
import { nameLabels } from './domain-name';
import { addressToBytes } from './ip-address';
import type { EdnsOptionData, RData, ResourceRecord } from './resource-record';
import { WireFormatError } from './wire-format-error';

export interface HeaderFields {
  id: number;
  flags: number;
  qdcount?: number;
  ancount?: number;
  nscount?: number;
  arcount?: number;
}

export interface OptFields {
  payloadSize: number;
  extendedRcode?: number;
  version?: number;
  dnssecOk?: boolean;
  options?: EdnsOptionData[];
}

/**
 * Builds DNS messages with name compression (RFC 1035 §4.1.4). Used off the hot path: to
 * precompute answers when a zone is compiled, and to build client queries. Names are
 * compressed against every name already written, case-insensitively.
 */
export class MessageWriter {
  private buffer = Buffer.alloc(512);
  private length = 0;
  private readonly names = new Map<string, number>();

  constructor(private readonly compress = true) {}

  get offset(): number {
    return this.length;
  }

  header(fields: HeaderFields): this {
    this.u16(fields.id).u16(fields.flags);
    this.u16(fields.qdcount ?? 0).u16(fields.ancount ?? 0).u16(fields.nscount ?? 0).u16(fields.arcount ?? 0);
    return this;
  }

  /** Overwrites a header count: 0 = QD, 1 = AN, 2 = NS, 3 = AR. */
  setCount(section: 0 | 1 | 2 | 3, count: number): this {
    this.buffer.writeUInt16BE(count, 4 + section * 2);
    return this;
  }

  u8(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.buffer.writeUInt16BE(value & 0xffff, this.length);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32BE(value >>> 0, this.length);
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Writes a name, compressed against earlier names unless `compress` is false. */
  name(name: string, compress = this.compress): this {
    const labels = nameLabels(name);
    let wireLength = 1;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const pointer = compress ? this.names.get(suffix) : undefined;
      if (pointer !== undefined) return this.u16(0xc000 | pointer);
      const bytes = Buffer.from(labels[i] as string, 'latin1');
      if (bytes.length === 0 || bytes.length > MAX_LABEL_LENGTH) {
        throw new WireFormatError(`name "${name}" has a label of ${bytes.length} bytes (1 to ${MAX_LABEL_LENGTH} allowed)`);
      }
      wireLength += bytes.length + 1;
      if (wireLength > MAX_NAME_LENGTH) throw new WireFormatError(`name "${name}" is longer than ${MAX_NAME_LENGTH} bytes`);
      if (this.length < 0x3fff && !this.names.has(suffix)) this.names.set(suffix, this.length);
      this.u8(bytes.length).bytes(bytes);
    }
    return this.u8(0);
  }

  question(name: string, type: number, cls = 1): this {
    return this.name(name).u16(type).u16(cls);
  }

  record(rr: ResourceRecord): this {
    this.name(rr.name).u16(rr.type).u16(rr.class).u32(rr.ttl);
    const lengthAt = this.length;
    this.u16(0);
    this.rdata(rr.type, rr.data);
    this.buffer.writeUInt16BE(this.length - lengthAt - 2, lengthAt);
    return this;
  }

  /** The OPT pseudo-record (RFC 6891 §6.1.2). */
  opt(fields: OptFields): this {
    this.u8(0).u16(RRType.OPT).u16(fields.payloadSize);
    this.u8(fields.extendedRcode ?? 0).u8(fields.version ?? 0).u16(fields.dnssecOk ? 0x8000 : 0);
    const options = fields.options ?? [];
    this.u16(options.reduce((n, o) => n + 4 + o.data.length, 0));
    for (const option of options) this.u16(option.code).u16(option.data.length).bytes(option.data);
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  private rdata(type: number, data: RData): void {
    switch (data.kind) {
      case 'address':
        this.bytes(addressToBytes(data.address, type === RRType.AAAA ? 6 : 4));
        return;
      case 'name':
        this.name(data.name);
        return;
      case 'soa':
        this.name(data.mname).name(data.rname);
        this.u32(data.serial).u32(data.refresh).u32(data.retry).u32(data.expire).u32(data.minimum);
        return;
      case 'txt':
        for (const text of data.texts.length === 0 ? [''] : data.texts) this.characterString(text);
        return;
      case 'hinfo':
        this.characterString(data.cpu).characterString(data.os);
        return;
      case 'raw':
        this.bytes(data.bytes);
        return;
    }
  }

  private characterString(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 255) throw new WireFormatError(`character-string of ${bytes.length} bytes (at most 255): split it`);
    return this.u8(bytes.length).bytes(bytes);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** Splits a long text into the ≤ 255-byte character-strings of a TXT record. */
export function splitTxt(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 255) return [text];
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255).toString('utf8'));
  return parts;
}

