/**
 * Per-process counters of the query path, kept in one flat Float64Array: updating them costs
 * an index and an add (no labels hashed, nothing allocated), and a worker ships the whole array
 * to the primary, which sums workers and turns them into Prometheus series at scrape time.
 */

export const TRANSPORTS = ['udp', 'tcp'] as const;
export type TransportIndex = 0 | 1;
/** qtype label values; 'none' when the question could not be read. */
export const QTYPE_LABELS = ['A', 'AAAA', 'CNAME', 'TXT', 'NS', 'SOA', 'ANY', 'other', 'none'] as const;
export const RCODE_LABELS = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'BADVERS'] as const;
export const DROP_REASONS = ['unreadable', 'response', 'send_error'] as const;
/** Upper bounds (seconds) of the processing-time histogram buckets; +Inf is implied. */
export const LATENCY_BUCKETS = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05] as const;

const QTYPE_COUNT = QTYPE_LABELS.length;
const RCODE_COUNT = RCODE_LABELS.length;
const QUERIES = 0;
const TRUNCATED = QUERIES + TRANSPORTS.length * QTYPE_COUNT * RCODE_COUNT;
const DROPPED = TRUNCATED + 1;
const LATENCY = DROPPED + DROP_REASONS.length;
/** Per transport: one count per bucket (non-cumulative, +Inf last), then sum and count. */
const LATENCY_STRIDE = LATENCY_BUCKETS.length + 3;
const TCP = LATENCY + TRANSPORTS.length * LATENCY_STRIDE;
export const TcpCounter = { OPEN: 0, ACCEPTED: 1, REJECTED: 2, IDLE_CLOSED: 3, PAUSED: 4 } as const;
export const STATS_LENGTH = TCP + 5;

/** qtype code → label index. */
export function qtypeIndex(qtype: number): number {
  switch (qtype) {
    case 1:
      return 0;
    case 28:
      return 1;
    case 5:
      return 2;
    case 16:
      return 3;
    case 2:
      return 4;
    case 6:
      return 5;
    case 255:
      return 6;
    default:
      return 7;
  }
}
export const QTYPE_NONE = 8;

/** rcode → label index (BADVERS is 16). */
export function rcodeIndex(rcode: number): number {
  return rcode === 16 ? 6 : rcode <= 5 ? rcode : 2;
}

export class QueryStats {
  readonly values = new Float64Array(STATS_LENGTH);

  private add(index: number, delta: number): void {
    this.values[index] = (this.values[index] as number) + delta;
  }

  query(transport: TransportIndex, qtype: number, rcode: number): void {
    this.add(QUERIES + (transport * QTYPE_COUNT + qtype) * RCODE_COUNT + rcode, 1);
  }

  truncated(): void {
    this.add(TRUNCATED, 1);
  }

  dropped(reason: 0 | 1 | 2): void {
    this.add(DROPPED + reason, 1);
  }

  latency(transport: TransportIndex, seconds: number): void {
    const base = LATENCY + transport * LATENCY_STRIDE;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] as number)) bucket++;
    this.add(base + bucket, 1);
    this.add(base + LATENCY_BUCKETS.length + 1, seconds);
    this.add(base + LATENCY_BUCKETS.length + 2, 1);
  }

  tcp(counter: number, delta = 1): void {
    this.add(TCP + counter, delta);
  }
}

/** Read access to a stats array (one process's, or the sum of several). */
export class StatsView {
  constructor(readonly values: Float64Array) {}

  query(transport: number, qtype: number, rcode: number): number {
    return this.values[QUERIES + (transport * QTYPE_COUNT + qtype) * RCODE_COUNT + rcode] as number;
  }
  get truncatedTotal(): number {
    return this.values[TRUNCATED] as number;
  }
  dropped(reason: number): number {
    return this.values[DROPPED + reason] as number;
  }
  /** Non-cumulative bucket counts (+Inf last), sum and count. */
  latency(transport: number): { buckets: number[]; sum: number; count: number } {
    const base = LATENCY + transport * LATENCY_STRIDE;
    const buckets = Array.from(this.values.subarray(base, base + LATENCY_BUCKETS.length + 1));
    return { buckets, sum: this.values[base + LATENCY_BUCKETS.length + 1] as number, count: this.values[base + LATENCY_BUCKETS.length + 2] as number };
  }
  tcp(counter: number): number {
    return this.values[TCP + counter] as number;
  }
  get totalQueries(): number {
    let total = 0;
    for (let i = QUERIES; i < TRUNCATED; i++) total += this.values[i] as number;
    return total;
  }
}

/** Adds `b` into `a` (same layout). */
export function addStats(a: Float64Array, b: ArrayLike<number>): Float64Array {
  for (let i = 0; i < a.length && i < b.length; i++) a[i] = (a[i] as number) + (b[i] as number);
  return a;
}
