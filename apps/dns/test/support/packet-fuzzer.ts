import { buildQuery, RRType } from '@meridian/dns-wire';
import { ORIGIN } from './zone-fixture';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FUZZ_KINDS = [
  'random-bytes',
  'truncated-header',
  'mutated-query',
  'truncated-query',
  'bad-label-length',
  'compression-loop',
  'oversized-counts',
  'bad-opt',
  'response-or-opcode',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

const NAMES = ['app', 'geo', 'big', 'lb', 'missing', 'x.us._witness', ''].map((h) => (h ? `${h}.${ORIGIN}` : ORIGIN));
const TYPES = [RRType.A, RRType.AAAA, RRType.TXT, RRType.ANY, RRType.NS, RRType.SOA, 99];

/** Makes malformed and mutated DNS packets of every kind the issue lists. */
export class PacketFuzzer {
  constructor(private readonly random: () => number) {}

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private valid(): Buffer {
    const ecs = this.random() < 0.3 ? { clientSubnet: this.random() < 0.5 ? '10.1.2.0/24' : '2001:db8:1::/48' } : {};
    return buildQuery({
      id: this.int(65536),
      name: NAMES[this.int(NAMES.length)] as string,
      type: TYPES[this.int(TYPES.length)] as number,
      ...(this.random() < 0.7 ? { edns: { payloadSize: 512 + this.int(4000), ...ecs } } : {}),
    });
  }

  next(kind: FuzzKind = FUZZ_KINDS[this.int(FUZZ_KINDS.length)] as FuzzKind): Buffer {
    switch (kind) {
      case 'random-bytes': {
        const b = Buffer.alloc(this.int(600));
        for (let i = 0; i < b.length; i++) b[i] = this.int(256);
        return b;
      }
      case 'truncated-header':
        return this.valid().subarray(0, this.int(12));
      case 'mutated-query': {
        const b = Buffer.from(this.valid());
        const flips = 1 + this.int(6);
        for (let i = 0; i < flips; i++) {
          const at = this.int(b.length);
          b[at] = (b[at] as number) ^ (1 << this.int(8));
        }
        return b;
      }
      case 'truncated-query': {
        const b = this.valid();
        return b.subarray(0, 12 + this.int(b.length - 12));
      }
      case 'bad-label-length': {
        const b = Buffer.from(this.valid());
        // Corrupt the first label length: too long, a reserved type (0x40, 0x80), or past the end.
        b[12] = [64, 0x40 | this.int(64), 0x80 | this.int(64), 63, 255][this.int(5)] as number;
        return b;
      }
      case 'compression-loop': {
        const b = Buffer.from(this.valid());
        if (this.random() < 0.5) {
          // The question name is a pointer to itself, or forward.
          b[12] = 0xc0;
          b[13] = this.random() < 0.5 ? 12 : 14 + this.int(20);
          return b;
        }
        // An additional record whose owner loops: pointer to its own offset.
        const at = b.length;
        const tail = Buffer.from([0xc0 | (at >> 8), at & 0xff, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
        const out = Buffer.concat([b, tail]);
        out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
        return out;
      }
      case 'oversized-counts': {
        const b = Buffer.from(this.valid());
        b.writeUInt16BE([0xffff, 2, 0][this.int(3)] as number, 4);
        b.writeUInt16BE(this.int(65536), 6 + 2 * this.int(3));
        return b;
      }
      case 'bad-opt': {
        const header = buildQuery({ id: this.int(65536), name: `app.${ORIGIN}`, type: RRType.A });
        const options = [
          Buffer.from([0, 8, 0, 7, 0, 1, 40, 0, 10, 1, 2]), // source prefix 40 > 32
          Buffer.from([0, 8, 0, 6, 0, 3, 8, 0, 10, 1]), // family 3
          Buffer.from([0, 8, 0, 8, 0, 1, 8, 0, 10, 1, 2, 3]), // 4 address bytes for /8
          Buffer.from([0, 8, 0, 5, 0, 1, 7, 0, 0xff]), // host bits beyond /7
          Buffer.from([0, 10, 0, 40]), // option longer than the RDATA
          Buffer.alloc(0),
        ];
        const rdata = options[this.int(options.length)] as Buffer;
        const opt = Buffer.concat([Buffer.from([0, 0, 41, 4, 208, this.int(3), this.int(3), 0, 0, rdata.length >> 8, rdata.length & 255]), rdata]);
        const twice = this.random() < 0.2;
        const out = Buffer.concat([header, opt, ...(twice ? [opt] : [])]);
        out.writeUInt16BE(twice ? 2 : 1, 10);
        return out;
      }
      case 'response-or-opcode': {
        const b = Buffer.from(this.valid());
        b[2] = (b[2] as number) | (this.random() < 0.5 ? 0x80 : this.int(16) << 3);
        return b;
      }
    }
  }
}
