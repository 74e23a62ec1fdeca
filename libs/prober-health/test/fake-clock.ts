import type { Clock } from '../src';

/** A clock that moves only when the test says; due timers fire in time order. */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void; id: number }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (!Number.isFinite(ms)) throw new Error(`setTimeout with ${ms} ms`);
    const id = ++this.seq;
    this.timers.push({ at: this.time + Math.max(0, ms), seq: id, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Advances time, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
