/** The wall clock, injected so every time-based decision can be tested. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/**
 * The first version of a new epoch: the wall clock in milliseconds × 1000. A restarted
 * records starts above every version its predecessor published as long as that one published
 * fewer than 1000 versions per millisecond on average (it publishes at most a few per
 * second) and the clock did not step back by more than the margin this leaves. 2^53 is
 * reached in the year 2255.
 */
export function seedVersion(nowMs: number): number {
  return Math.floor(nowMs) * 1000;
}
