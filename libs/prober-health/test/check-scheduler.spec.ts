import { CheckScheduler } from '../src';
import { FakeClock } from './fake-clock';

function setup(maxConcurrent = 10, random = () => 0.5) {
  const clock = new FakeClock();
  const delays: number[] = [];
  const scheduler = new CheckScheduler({ clock, random, maxConcurrent, initialSpreadMs: 0, onStartDelay: (d) => delays.push(d) });
  return { clock, scheduler, delays };
}

/** A task whose runs last `durationMs` on the fake clock and are recorded. */
function task(clock: FakeClock, id: string, intervalMs: number, durationMs = 0, jitter = 0) {
  const starts: number[] = [];
  return {
    starts,
    task: {
      id,
      intervalMs,
      jitter,
      run: () =>
        new Promise<void>((resolve) => {
          starts.push(clock.now());
          clock.setTimeout(resolve, durationMs);
        }),
    },
  };
}

describe('CheckScheduler', () => {
  it('runs at a fixed rate measured from the due time, not from when a run finished', async () => {
    const { clock, scheduler, delays } = setup();
    const t = task(clock, 'a', 100, 30);
    const origin = clock.now();
    scheduler.add(t.task);
    await clock.advance(450);
    expect(t.starts.map((s) => s - origin)).toEqual([0, 100, 200, 300, 400]);
    expect(delays).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps each period within ± jitter of the interval', async () => {
    let r = 0;
    const values = [0.5, 0, 1, 0.25, 0.75, 0.5];
    const { clock, scheduler } = setup(10, () => values[r++ % values.length] as number);
    const t = task(clock, 'a', 1000, 0, 0.1);
    scheduler.add(t.task);
    await clock.advance(5000);
    const periods = t.starts.slice(1).map((s, i) => s - (t.starts[i] as number));
    expect(periods).toEqual([900, 1100, 950, 1050, 1000]);
  });

  it('skips a turn while the previous run is still going', async () => {
    const { clock, scheduler } = setup();
    const t = task(clock, 'slow', 100, 150);
    const origin = clock.now();
    scheduler.add(t.task);
    await clock.advance(450);
    expect(t.starts.map((s) => s - origin)).toEqual([0, 200, 400]);
  });

  it('caps concurrent runs across tasks, queues the rest in order, and reports how late they started', async () => {
    const { clock, scheduler, delays } = setup(2);
    const tasks = ['a', 'b', 'c', 'd'].map((id) => task(clock, id, 1000, 40));
    for (const t of tasks) scheduler.add(t.task);
    await clock.advance(0);
    expect(scheduler.running).toBe(2);
    expect(scheduler.waiting).toBe(2);
    await clock.advance(100);
    expect(tasks.map((t) => t.starts.length)).toEqual([1, 1, 1, 1]);
    expect(delays).toEqual([0, 0, 40, 40]);
  });

  it('stops running a removed task, including one waiting in the queue', async () => {
    const { clock, scheduler } = setup(1);
    const a = task(clock, 'a', 100, 50);
    const b = task(clock, 'b', 100, 50);
    scheduler.add(a.task);
    scheduler.add(b.task);
    await clock.advance(0);
    scheduler.remove('b');
    await clock.advance(300);
    expect(b.starts).toEqual([]);
    scheduler.remove('a');
    const count = a.starts.length;
    await clock.advance(300);
    expect(a.starts.length).toBe(count);
    expect(scheduler.size).toBe(0);
  });

  it('spreads first runs over the initial spread window', async () => {
    const clock = new FakeClock();
    const values = [0, 0.5, 0.99];
    let i = 0;
    const scheduler = new CheckScheduler({ clock, random: () => values[i++ % values.length] as number, maxConcurrent: 10, initialSpreadMs: 1000 });
    const origin = clock.now();
    const tasks = ['a', 'b', 'c'].map((id) => task(clock, id, 5000));
    for (const t of tasks) scheduler.add(t.task);
    await clock.advance(1000);
    expect(tasks.map((t) => (t.starts[0] as number) - origin)).toEqual([0, 500, 990]);
  });
});
