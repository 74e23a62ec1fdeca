// Resident memory of every service process (its own RSS plus its child processes', so a dns
// with cluster workers counts whole), sampled from /proc, and the least-squares slope.
import { readFileSync } from 'node:fs';

function rssKiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    let kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)) kib += rssKiB(Number(task));
    return kib;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export class RssSampler {
  /** `processes()` returns the live processes as { region, service, pid, incarnation }. */
  constructor({ processes, intervalMs = 2000 }) {
    this.processes = processes;
    this.intervalMs = intervalMs;
    this.samples = new Map();
    this.t0 = Date.now();
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop() {
    clearInterval(this.timer);
  }

  sample() {
    const minutes = (Date.now() - this.t0) / 60_000;
    for (const p of this.processes()) {
      const kib = rssKiB(p.pid);
      if (kib === undefined) continue;
      const key = `${p.region} ${p.service}#${p.incarnation}`;
      if (!this.samples.has(key)) this.samples.set(key, []);
      this.samples.get(key).push({ x: minutes, y: kib / 1024 });
    }
  }

  /**
   * Per process: first and last RSS (MiB) and the slope (MiB/min) of the samples after
   * `warmupMinutes` (start-up allocations are not a leak).
   */
  summary(warmupMinutes = 0) {
    return [...this.samples].map(([process, points]) => {
      const steady = points.filter((p) => p.x >= warmupMinutes);
      return {
        process,
        samples: steady.length,
        firstMiB: steady[0]?.y ?? NaN,
        lastMiB: steady.at(-1)?.y ?? NaN,
        maxMiB: Math.max(...points.map((p) => p.y)),
        slopeMiBPerMin: slope(steady),
      };
    });
  }
}
