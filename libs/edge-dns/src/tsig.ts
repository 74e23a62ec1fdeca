import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeName, encodeName, HEADER_LENGTH, normalizeName } from '@meridian/dns-wire';
import { TsigVerificationError } from './edge-dns-error';
import type { TsigAlgorithm, TsigKey } from './tsig-key';

/** RR type TSIG (RFC 8945 §4.2) and its class, ANY. */
export const TSIG_TYPE = 250;
const CLASS_ANY = 255;
/** Seconds of clock difference a signature tolerates; RFC 8945 recommends 300. */
export const DEFAULT_FUDGE = 300;

/** TSIG error codes (RFC 8945 §3, extended RCODEs). */
export const TsigError = { NOERROR: 0, BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

export function tsigErrorName(code: number): string {
  return Object.entries(TsigError).find(([, value]) => value === code)?.[0] ?? `TSIG error ${code}`;
}

const DIGEST: Record<TsigAlgorithm, string> = {
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
  'hmac-sha224': 'sha224',
  'hmac-sha1': 'sha1',
};

/** The TSIG record of a message, decoded, with where it starts. */
export interface TsigRecord {
  /** Offset of the record's owner name in the message. */
  offset: number;
  keyName: string;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
}

export interface SignedMessage {
  message: Buffer;
  /** The request MAC; the response's MAC covers it (RFC 8945 §4.3.3). */
  mac: Buffer;
}

/**
 * Signs a message with TSIG (RFC 8945 §4.3.1): the MAC covers the unsigned message and the
 * TSIG variables, then the TSIG record is appended to the additional section.
 */
export function signMessage(message: Buffer, key: TsigKey, now: Date, fudge = DEFAULT_FUDGE): SignedMessage {
  const timeSigned = Math.floor(now.getTime() / 1000);
  const originalId = message.readUInt16BE(0);
  const variables = tsigVariables(key.name, key.algorithm, timeSigned, fudge, 0, Buffer.alloc(0));
  const mac = hmac(key, [message, variables]);
  const record = tsigRecord(key.name, key.algorithm, timeSigned, fudge, mac, originalId, 0, Buffer.alloc(0));
  const signed = Buffer.concat([message, record]);
  signed.writeUInt16BE(signed.readUInt16BE(10) + 1, 10);
  return { message: signed, mac };
}

/**
 * Checks a signed response (RFC 8945 §5.3): the TSIG record must be last, name the key and
 * algorithm we used, carry a MAC over our request MAC, the response and the TSIG variables,
 * and a time within its fudge. Throws TsigVerificationError otherwise.
 */
export function verifyResponse(response: Buffer, key: TsigKey, requestMac: Buffer, now: Date): TsigRecord {
  const tsig = findTsig(response);
  if (!tsig) throw new TsigVerificationError('the response carries no TSIG record, so it cannot be trusted');
  if (tsig.keyName !== key.name) throw new TsigVerificationError(`the response is signed with key "${tsig.keyName}", not "${key.name}"`);
  if (tsig.algorithm !== key.algorithm) throw new TsigVerificationError(`the response is signed with ${tsig.algorithm}, not ${key.algorithm}`);
  const unsigned = Buffer.from(response.subarray(0, tsig.offset));
  unsigned.writeUInt16BE(tsig.originalId, 0);
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  const macLength = Buffer.alloc(2);
  macLength.writeUInt16BE(requestMac.length, 0);
  const variables = tsigVariables(tsig.keyName, tsig.algorithm, tsig.timeSigned, tsig.fudge, tsig.error, tsig.other);
  const expected = hmac(key, [macLength, requestMac, unsigned, variables]);
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) {
    throw new TsigVerificationError('the response MAC does not verify: the answer was altered, or the server has another secret');
  }
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - tsig.timeSigned);
  if (skew > tsig.fudge) throw new TsigVerificationError(`the response was signed ${skew} s away from our clock (fudge ${tsig.fudge} s): fix the clocks`);
  return tsig;
}

/** The TSIG record, when it is the last record of the additional section. */
export function findTsig(message: Buffer): TsigRecord | undefined {
  const counts = [4, 6, 8, 10].map((at) => message.readUInt16BE(at)) as [number, number, number, number];
  if (counts[3] === 0) return undefined;
  let offset = HEADER_LENGTH;
  for (let i = 0; i < counts[0]; i++) offset = decodeName(message, offset).next + 4;
  const records = counts[1] + counts[2] + counts[3];
  let last = offset;
  for (let i = 0; i < records; i++) {
    last = offset;
    const next = decodeName(message, offset).next;
    offset = next + 10 + message.readUInt16BE(next + 8);
  }
  const owner = decodeName(message, last);
  if (message.readUInt16BE(owner.next) !== TSIG_TYPE) return undefined;
  let at = owner.next + 10;
  const algorithm = decodeName(message, at);
  at = algorithm.next;
  const timeSigned = message.readUInt16BE(at) * 2 ** 32 + message.readUInt32BE(at + 2);
  const fudge = message.readUInt16BE(at + 6);
  const macSize = message.readUInt16BE(at + 8);
  const mac = Buffer.from(message.subarray(at + 10, at + 10 + macSize));
  at += 10 + macSize;
  const originalId = message.readUInt16BE(at);
  const error = message.readUInt16BE(at + 2);
  const otherLength = message.readUInt16BE(at + 4);
  const other = Buffer.from(message.subarray(at + 6, at + 6 + otherLength));
  return {
    offset: last,
    keyName: normalizeName(owner.name),
    algorithm: normalizeName(algorithm.name),
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    other,
  };
}

function hmac(key: TsigKey, parts: Buffer[]): Buffer {
  const mac = createHmac(DIGEST[key.algorithm], key.secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** RFC 8945 §4.3.3: names in canonical (lower-case, uncompressed) form. */
function tsigVariables(keyName: string, algorithm: string, timeSigned: number, fudge: number, error: number, other: Buffer): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(CLASS_ANY, 0);
  fixed.writeUInt32BE(0, 2);
  const tail = Buffer.alloc(12);
  writeTime(tail, 0, timeSigned);
  tail.writeUInt16BE(fudge, 6);
  tail.writeUInt16BE(error, 8);
  tail.writeUInt16BE(other.length, 10);
  return Buffer.concat([encodeName(keyName.toLowerCase()), fixed, encodeName(algorithm.toLowerCase()), tail, other]);
}

function tsigRecord(keyName: string, algorithm: string, timeSigned: number, fudge: number, mac: Buffer, originalId: number, error: number, other: Buffer): Buffer {
  const algorithmName = encodeName(algorithm);
  const rdata = Buffer.alloc(algorithmName.length + 16 + mac.length + other.length);
  let at = algorithmName.copy(rdata, 0);
  writeTime(rdata, at, timeSigned);
  rdata.writeUInt16BE(fudge, at + 6);
  rdata.writeUInt16BE(mac.length, at + 8);
  at += 10 + mac.copy(rdata, at + 10);
  rdata.writeUInt16BE(originalId, at);
  rdata.writeUInt16BE(error, at + 2);
  rdata.writeUInt16BE(other.length, at + 4);
  other.copy(rdata, at + 6);
  const header = Buffer.alloc(10);
  header.writeUInt16BE(TSIG_TYPE, 0);
  header.writeUInt16BE(CLASS_ANY, 2);
  header.writeUInt32BE(0, 4);
  header.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(keyName), header, rdata]);
}

/** A 48-bit count of seconds. */
function writeTime(buffer: Buffer, at: number, seconds: number): void {
  buffer.writeUInt16BE(Math.floor(seconds / 2 ** 32), at);
  buffer.writeUInt32BE(seconds % 2 ** 32, at + 2);
}
