import { createHmac } from 'node:crypto';
import { buildQuery, decodeMessage, encodeName, RRType } from '@meridian/dns-wire';
import { findTsig, signMessage, TSIG_TYPE, verifyResponse } from './tsig';
import type { TsigKey } from './tsig-key';

const key: TsigKey = { name: 'meridian-eu', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 3) };
const now = new Date('2026-11-21T12:00:00Z');

/** What a server does (RFC 8945 §4.3.3): MAC over the request MAC, the response and the TSIG variables. */
function serverSign(response: Buffer, requestMac: Buffer, signingKey: TsigKey, at: Date, error = 0): Buffer {
  const time = Math.floor(at.getTime() / 1000);
  const fields = Buffer.alloc(6 + 12);
  fields.writeUInt16BE(255, 0);
  fields.writeUInt32BE(0, 2);
  const tail = fields.subarray(6);
  tail.writeUInt16BE(0, 0);
  tail.writeUInt32BE(time, 2);
  tail.writeUInt16BE(300, 6);
  tail.writeUInt16BE(error, 8);
  tail.writeUInt16BE(0, 10);
  const variables = Buffer.concat([encodeName(signingKey.name), fields.subarray(0, 6), encodeName(signingKey.algorithm), tail]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(requestMac.length, 0);
  const mac = createHmac('sha256', signingKey.secret).update(Buffer.concat([length, requestMac, response, variables])).digest();
  const algorithm = encodeName(signingKey.algorithm);
  const rdata = Buffer.alloc(algorithm.length + 16 + mac.length);
  algorithm.copy(rdata, 0);
  let at2 = algorithm.length;
  rdata.writeUInt16BE(0, at2);
  rdata.writeUInt32BE(time, at2 + 2);
  rdata.writeUInt16BE(300, at2 + 6);
  rdata.writeUInt16BE(mac.length, at2 + 8);
  mac.copy(rdata, at2 + 10);
  at2 += 10 + mac.length;
  rdata.writeUInt16BE(response.readUInt16BE(0), at2);
  rdata.writeUInt16BE(error, at2 + 2);
  rdata.writeUInt16BE(0, at2 + 4);
  const header = Buffer.alloc(10);
  header.writeUInt16BE(TSIG_TYPE, 0);
  header.writeUInt16BE(255, 2);
  header.writeUInt16BE(rdata.length, 8);
  const signed = Buffer.concat([response, encodeName(signingKey.name), header, rdata]);
  signed.writeUInt16BE(signed.readUInt16BE(10) + 1, 10);
  return signed;
}

describe('TSIG (RFC 8945)', () => {
  const request = buildQuery({ id: 0x1234, name: 'example.com', type: RRType.SOA });
  const signed = signMessage(request, key, now);
  const response = Buffer.from(request);
  response.writeUInt16BE(0x8000, 2);

  it('appends a TSIG record that names the key, the algorithm, the time and the original ID', () => {
    const tsig = findTsig(signed.message);
    expect(tsig).toMatchObject({ keyName: 'meridian-eu', algorithm: 'hmac-sha256', timeSigned: now.getTime() / 1000, fudge: 300, originalId: 0x1234, error: 0 });
    expect(tsig?.mac).toEqual(signed.mac);
    expect(tsig?.mac).toHaveLength(32);
    expect(decodeMessage(signed.message).additionals).toHaveLength(1);
    // The message itself is unchanged but for ARCOUNT, which now counts the TSIG record.
    expect(signed.message.subarray(0, 10)).toEqual(request.subarray(0, 10));
    expect(signed.message.readUInt16BE(10)).toBe(request.readUInt16BE(10) + 1);
    expect(signed.message.subarray(12, request.length)).toEqual(request.subarray(12));
  });

  it('computes the MAC over the message and the TSIG variables', () => {
    const variables = Buffer.concat([encodeName('meridian-eu'), Buffer.from([0, 255, 0, 0, 0, 0]), encodeName('hmac-sha256'), Buffer.from([0, 0]), (() => {
      const b = Buffer.alloc(10);
      b.writeUInt32BE(now.getTime() / 1000, 0);
      b.writeUInt16BE(300, 4);
      return b;
    })()]);
    expect(signed.mac).toEqual(createHmac('sha256', key.secret).update(Buffer.concat([request, variables])).digest());
  });

  it('verifies a response the server signed over our request MAC', () => {
    expect(verifyResponse(serverSign(response, signed.mac, key, now), key, signed.mac, now).error).toBe(0);
  });

  it.each([
    ['unsigned', () => response, /carries no TSIG record/],
    ['signed with another secret', () => serverSign(response, signed.mac, { ...key, secret: Buffer.alloc(32, 4) }, now), /MAC does not verify/],
    ['signed with another key name', () => serverSign(response, signed.mac, { ...key, name: 'other' }, now), /signed with key "other"/],
    ['signed over another request MAC', () => serverSign(response, Buffer.alloc(32), key, now), /MAC does not verify/],
    [
      'altered after signing',
      () => {
        const bad = serverSign(response, signed.mac, key, now);
        bad[3] = (bad[3] as number) ^ 0x01;
        return bad;
      },
      /MAC does not verify/,
    ],
    ['signed ten minutes away from our clock', () => serverSign(response, signed.mac, key, new Date(now.getTime() + 600_000)), /signed 600 s away/],
  ])('rejects a response %s', (_name, make, message) => {
    expect(() => verifyResponse(make(), key, signed.mac, now)).toThrow(message);
  });
});
