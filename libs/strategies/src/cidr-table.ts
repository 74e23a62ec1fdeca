import { addressBit, createParsedAddress, formatAddress, parseAddress, type ParsedAddress } from './parsed-address';
import { StrategyConfigError, throwIfInvalid } from './strategy-config-error';
import type { GeoTag } from './target';

/** One line of a CIDR → region map, as configured. */
export interface GeoCidr {
  readonly cidr: string;
  readonly geoTag: GeoTag;
}

/**
 * A binary trie flattened into parallel arrays (node 0 is the root; child 0 means "none",
 * since no node points back at the root). Plain arrays so a plan stays serializable.
 */
export interface CidrTrie {
  readonly zero: number[];
  readonly one: number[];
  /** Index into {@link CidrTable.geoTags} of the CIDR ending at this node, or -1. */
  readonly tag: number[];
}

/** A CIDR → region map compiled for longest-prefix match in O(prefix bits). */
export interface CidrTable {
  readonly geoTags: GeoTag[];
  readonly v4: CidrTrie;
  readonly v6: CidrTrie;
}

/** Result of a lookup: the matched region (if any) and the ECS scope the answer is valid for. */
export interface CidrMatch {
  readonly geoTag: GeoTag | undefined;
  /** Prefix length of the longest matching CIDR, or -1 when none matched. */
  readonly prefixLength: number;
  /** The shortest prefix of the client address over which this lookup cannot change. */
  readonly scopePrefixLength: number;
}

export interface ValidateCidrOptions {
  /** When given, every geotag must be one of these. */
  readonly knownGeoTags?: Iterable<GeoTag>;
  readonly path?: string;
}

/** Every problem in a CIDR map: bad CIDRs, host bits set, conflicts, unknown geotags. */
export function validateGeoCidrs(entries: readonly GeoCidr[], options: ValidateCidrOptions = {}): StrategyConfigError[] {
  return build(entries, options).errors;
}

/** Compiles a CIDR map, or throws an InvalidStrategyConfigError listing every problem. */
export function compileCidrTable(entries: readonly GeoCidr[], options: ValidateCidrOptions = {}): CidrTable {
  const { table, errors } = build(entries, options);
  throwIfInvalid(errors, 'geo CIDR map');
  return table;
}

/** Longest-prefix match of `address` (allocates the result: not for the per-query path). */
export function lookupCidr(table: CidrTable, address: ParsedAddress): CidrMatch {
  const packed = lookupPacked(table, address);
  const tag = packedTag(packed);
  return {
    geoTag: table.geoTags[tag],
    prefixLength: tag < 0 ? -1 : packedMatchLength(packed),
    scopePrefixLength: packedScope(packed),
  };
}

/**
 * Allocation-free lookup for the per-query path. Packs the tag index (+1, 0 = no match),
 * the matched prefix length and the scope into one number (each length ≤ 128 < 256).
 *
 * The scope is the depth where the walk left the trie, plus one when the node it stopped at
 * still has children: every address sharing that many bits gets the same result. It equals
 * the matched prefix length unless more-specific entries (or none at all) sit nearby, and it
 * is what RFC 7871 asks for: an answer for an unmatched client is not valid for everyone.
 */
export function lookupPacked(table: CidrTable, address: ParsedAddress): number {
  const trie = address.family === 4 ? table.v4 : table.v6;
  const limit = Math.min(address.bits, address.family === 4 ? 32 : 128);
  let node = 0;
  let depth = 0;
  let tag = trie.tag[0] as number;
  let matchLength = 0;
  while (depth < limit) {
    const next = (addressBit(address, depth) === 1 ? trie.one[node] : trie.zero[node]) as number;
    if (next === 0) break;
    node = next;
    depth++;
    const here = trie.tag[node] as number;
    if (here >= 0) {
      tag = here;
      matchLength = depth;
    }
  }
  const hasChildren = (trie.zero[node] as number) !== 0 || (trie.one[node] as number) !== 0;
  const scope = hasChildren ? depth + 1 : depth;
  return (tag + 1) * 65536 + matchLength * 256 + scope;
}

export function packedTag(packed: number): number {
  return Math.floor(packed / 65536) - 1;
}

export function packedScope(packed: number): number {
  return packed & 255;
}

function packedMatchLength(packed: number): number {
  return (packed >>> 8) & 255;
}

function newTrie(): CidrTrie {
  return { zero: [0], one: [0], tag: [-1] };
}

/** Walks (and grows) the trie to the node of `prefix`; returns that node. */
function insert(trie: CidrTrie, address: ParsedAddress, prefix: number): number {
  let node = 0;
  for (let depth = 0; depth < prefix; depth++) {
    const children = addressBit(address, depth) === 1 ? trie.one : trie.zero;
    let next = children[node] as number;
    if (next === 0) {
      next = trie.tag.length;
      trie.zero.push(0);
      trie.one.push(0);
      trie.tag.push(-1);
      children[node] = next;
    }
    node = next;
  }
  return node;
}

function build(entries: readonly GeoCidr[], options: ValidateCidrOptions): { table: CidrTable; errors: StrategyConfigError[] } {
  const path = options.path ?? 'geoCidrs';
  const known = options.knownGeoTags === undefined ? undefined : new Set(options.knownGeoTags);
  const table: CidrTable = { geoTags: [], v4: newTrie(), v6: newTrie() };
  const tagIndex = new Map<GeoTag, number>();
  const seenAt = new Map<string, number>();
  const errors: StrategyConfigError[] = [];
  const address = createParsedAddress();
  entries.forEach((entry, i) => {
    if (typeof entry.geoTag !== 'string' || entry.geoTag === '') {
      errors.push(new StrategyConfigError(`${path}[${i}].geoTag`, entry.geoTag, 'must be a non-empty geotag', 'name the region this CIDR belongs to, e.g. "eu"'));
      return;
    }
    if (known !== undefined && !known.has(entry.geoTag)) {
      errors.push(
        new StrategyConfigError(`${path}[${i}].geoTag`, entry.geoTag, 'is not a known region', `use one of: ${[...known].sort().join(', ')}`),
      );
    }
    const parsed = parseCidr(entry.cidr, address);
    if (typeof parsed === 'string') {
      errors.push(new StrategyConfigError(`${path}[${i}].cidr`, entry.cidr, parsed, 'write it as address/prefix, e.g. 192.0.2.0/24 or 2001:db8::/32'));
      return;
    }
    const trie = address.family === 4 ? table.v4 : table.v6;
    const node = insert(trie, address, parsed);
    let index = tagIndex.get(entry.geoTag);
    if (index === undefined) {
      index = table.geoTags.push(entry.geoTag) - 1;
      tagIndex.set(entry.geoTag, index);
    }
    const previous = trie.tag[node] as number;
    const key = `${address.family}/${node}`;
    if (previous >= 0 && previous !== index) {
      errors.push(
        new StrategyConfigError(
          `${path}[${i}].cidr`,
          entry.cidr,
          `is already mapped to "${table.geoTags[previous]}" by ${path}[${seenAt.get(key)}]`,
          'map each CIDR to one region only',
        ),
      );
      return;
    }
    trie.tag[node] = index;
    seenAt.set(key, i);
  });
  return { table, errors };
}

/** Parses "address/prefix" into `out`; returns the prefix length, or a problem description. */
function parseCidr(cidr: unknown, out: ParsedAddress): number | string {
  if (typeof cidr !== 'string') return 'must be a string';
  const slash = cidr.indexOf('/');
  if (slash < 0) return 'has no /prefix length';
  const prefixText = cidr.slice(slash + 1);
  const writtenAsV6 = cidr.slice(0, slash).includes(':');
  if (parseAddress(cidr.slice(0, slash), out) === undefined) return 'has an invalid address';
  const maxBits = writtenAsV6 ? 128 : 32;
  const prefix = /^(0|[1-9][0-9]{0,2})$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix <= maxBits)) return `has an invalid prefix length (0..${maxBits})`;
  // An IPv4-mapped IPv6 CIDR (::ffff:0:0/96 and longer) is stored as IPv4, like client addresses.
  const length = writtenAsV6 && out.family === 4 ? prefix - 96 : prefix;
  if (length < 0) return 'covers IPv4-mapped and other IPv6 space at once; split it at ::ffff:0:0/96';
  out.bits = length;
  if (hasHostBits(out, length)) return `has host bits set (the network is ${networkOf(out, length)}/${length})`;
  return length;
}

function hasHostBits(address: ParsedAddress, prefix: number): boolean {
  const total = address.family === 4 ? 32 : 128;
  for (let i = prefix; i < total; i++) if (addressBit(address, i) === 1) return true;
  return false;
}

function networkOf(address: ParsedAddress, prefix: number): string {
  const copy = createParsedAddress();
  copy.family = address.family;
  copy.bits = prefix;
  for (let w = 0; w < 4; w++) {
    const keep = Math.max(0, Math.min(32, prefix - 32 * w));
    const mask = keep === 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
    copy.words[w] = ((address.words[w] as number) & mask) >>> 0;
  }
  return formatAddress(copy);
}
