import { buildQuery, clientSubnetOption } from './query-builder';
import { createParsedQuery, parseQuery, QueryVerdict } from './query-parser';
import { RRType } from './constants';

const query = (extra: Partial<Parameters<typeof buildQuery>[0]> = {}) => buildQuery({ id: 0x1234, name: 'App.Example.com', type: RRType.A, ...extra });

function withOpt(rdata: number[], { version = 0, owner = [0] } = {}): Buffer {
  const base = query();
  const opt = Buffer.from([...owner, 0, 41, 4, 208, 0, version, 0x80, 0, rdata.length >> 8, rdata.length & 255, ...rdata]);
  const out = Buffer.concat([base, opt]);
  out.writeUInt16BE(1, 10);
  return out;
}

const patch = (b: Buffer, offset: number, ...bytes: number[]) => {
  const c = Buffer.from(b);
  bytes.forEach((v, i) => (c[offset + i] = v));
  return c;
};

describe('parseQuery', () => {
  it('reads a plain query: id, question name offsets, type and class', () => {
    const q = createParsedQuery();
    expect(parseQuery(query(), q)).toBe(QueryVerdict.OK);
    expect(q).toMatchObject({ id: 0x1234, qtype: RRType.A, qclass: 1, labelCount: 3, qnameEnd: 12 + 17, questionEnd: 12 + 17 + 4, edns: false });
    expect(Array.from(q.labelOffsets.subarray(0, 3))).toEqual([12, 16, 24]);
  });

  it('reads EDNS: payload size, version, DO and an ECS option', () => {
    const q = createParsedQuery();
    const msg = buildQuery({ id: 1, name: 'a.example', type: RRType.A, edns: { payloadSize: 4096, dnssecOk: true, clientSubnet: '10.1.2.0/23' } });
    expect(parseQuery(msg, q)).toBe(QueryVerdict.OK);
    expect(q).toMatchObject({ edns: true, ednsPayload: 4096, ednsVersion: 0, ednsDo: true, ecs: true, ecsFamily: 1, ecsSourcePrefix: 23, ecsScopePrefix: 0, ecsAddressLength: 3 });
    expect(Array.from(msg.subarray(q.ecsAddressOffset, q.ecsAddressOffset + 3))).toEqual([10, 1, 2]);
  });

  it.each([
    ['an empty packet', Buffer.alloc(0), QueryVerdict.DROP],
    ['an 11-byte header', query().subarray(0, 11), QueryVerdict.DROP],
    ['a response (QR=1)', patch(query(), 2, 0x80), QueryVerdict.DROP],
    ['opcode NOTIFY', patch(query(), 2, 4 << 3), QueryVerdict.NOTIMP],
    ['opcode UPDATE', patch(query(), 2, 5 << 3), QueryVerdict.NOTIMP],
    ['QDCOUNT 0', patch(query(), 4, 0, 0), QueryVerdict.FORMERR],
    ['QDCOUNT 2', patch(query(), 4, 0, 2), QueryVerdict.FORMERR],
    ['a question cut short', query().subarray(0, 20), QueryVerdict.FORMERR],
    ['a question without type and class', query().subarray(0, 29), QueryVerdict.FORMERR],
    ['a label longer than 63', patch(query(), 12, 64), QueryVerdict.FORMERR],
    ['a compression pointer in the question', patch(query(), 12, 0xc0, 12), QueryVerdict.FORMERR],
    ['a reserved label type', patch(query(), 12, 0x40), QueryVerdict.FORMERR],
    ['ANCOUNT with no records', patch(query(), 6, 0xff, 0xff), QueryVerdict.FORMERR],
    ['ARCOUNT with no records', patch(query(), 10, 0, 3), QueryVerdict.FORMERR],
    ['an OPT not owned by the root', withOpt([], { owner: [1, 97, 0] }), QueryVerdict.FORMERR],
    ['ECS with source prefix 33 for IPv4', withOpt([0, 8, 0, 8, 0, 1, 33, 0, 10, 1, 2, 3]), QueryVerdict.FORMERR],
    ['ECS with family 3', withOpt([0, 8, 0, 5, 0, 3, 8, 0, 10]), QueryVerdict.FORMERR],
    ['ECS with too many address bytes', withOpt([0, 8, 0, 7, 0, 1, 8, 0, 10, 1, 2]), QueryVerdict.FORMERR],
    ['ECS with host bits set', withOpt([0, 8, 0, 5, 0, 1, 7, 0, 0x0b]), QueryVerdict.FORMERR],
    ['an option longer than the OPT RDATA', withOpt([0, 10, 0, 9, 1, 2]), QueryVerdict.FORMERR],
    ['an additional record whose owner points forward', withOpt([], { owner: [0xc0, 0xff] }), QueryVerdict.FORMERR],
    ['an unknown option', withOpt([0xfd, 0xe9, 0, 2, 0xab, 0xcd]), QueryVerdict.OK],
    ['EDNS version 1 (the handler answers BADVERS)', withOpt([], { version: 1 }), QueryVerdict.OK],
  ])('%s → verdict %s', (_name, msg, verdict) => {
    expect(parseQuery(msg, createParsedQuery())).toBe(verdict);
  });

  it('rejects two OPT records', () => {
    const one = withOpt([]);
    const opt = one.subarray(query().length);
    const two = Buffer.concat([one, opt]);
    two.writeUInt16BE(2, 10);
    expect(parseQuery(two, createParsedQuery())).toBe(QueryVerdict.FORMERR);
  });

  it('keeps the ECS option as built by clientSubnetOption for IPv6', () => {
    const q = createParsedQuery();
    const msg = buildQuery({ id: 1, name: 'a.example', type: RRType.AAAA, edns: { options: [clientSubnetOption('2001:db8:1::/48')] } });
    expect(parseQuery(msg, q)).toBe(QueryVerdict.OK);
    expect(q).toMatchObject({ ecsFamily: 2, ecsSourcePrefix: 48, ecsAddressLength: 6 });
  });
});
