// The independent observer: every `intervalMs`, asks each nameserver for the zone's SOA and
// for failover.gslb.example.com A (1 s timeout each). It counts answers and failures per
// nameserver and checks that the SOA serial never goes back (RFC 1982) for the same dns
// process; a restarted dns process starts a new sequence, and a serial below the previous
// process's last one is listed apart (`restartRegressions`).
import { query } from './dns-probe.mjs';
import { serialNewer } from './serial-order.mjs';

export class ZonePoller {
  /** `incarnation(region)` tells which dns process serves the region's nameserver now. */
  constructor({ nameservers, zone, name, intervalMs = 50, incarnation = () => 1 }) {
    this.nameservers = nameservers;
    this.zone = zone;
    this.name = name;
    this.intervalMs = intervalMs;
    this.incarnation = incarnation;
    this.stats = Object.fromEntries(Object.keys(nameservers).map((r) => [r, { queries: 0, answered: 0, failed: 0, serialChanges: 0, addresses: {} }]));
    this.last = {};
    this.latest = {};
    this.regressions = [];
    this.restartRegressions = [];
    this.running = false;
  }

  start() {
    this.running = true;
    this.loops = Object.keys(this.nameservers).map((region) => this.loop(region));
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops ?? []);
  }

  /** Counters now (copied), for a window's difference. */
  counters() {
    return JSON.parse(JSON.stringify(this.stats));
  }

  /** What happened between two `counters()`: queries, failures and the answers seen, per nameserver. */
  static window(before, after) {
    return Object.fromEntries(
      Object.keys(after).map((r) => {
        const addresses = {};
        for (const [k, v] of Object.entries(after[r].addresses)) if (v - (before[r].addresses[k] ?? 0) > 0) addresses[k] = v - (before[r].addresses[k] ?? 0);
        return [r, { queries: after[r].queries - before[r].queries, failed: after[r].failed - before[r].failed, addresses }];
      }),
    );
  }

  /** Resolves the ms until every nameserver's latest answer (newer than `since`) is `addresses`, or undefined after `timeoutMs`. */
  async until(addresses, since, timeoutMs) {
    const want = addresses.join(',');
    for (;;) {
      const ok = Object.keys(this.nameservers).every((r) => this.latest[r] && this.latest[r].at > since && this.latest[r].addresses.join(',') === want);
      if (ok) return Date.now() - since;
      if (Date.now() - since > timeoutMs || !this.running) return undefined;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async loop(region) {
    const port = this.nameservers[region];
    while (this.running) {
      const started = Date.now();
      const [soa, a] = await Promise.all([query(port, this.zone, 'SOA', 1000), query(port, this.name, 'A', 1000)]);
      const s = this.stats[region];
      for (const reply of [soa, a]) {
        s.queries++;
        if (reply.error || reply.rcode !== 0) s.failed++;
        else s.answered++;
      }
      if (a.addresses) {
        this.latest[region] = { at: Date.now(), addresses: a.addresses };
        const key = a.addresses.join(',') || 'NODATA';
        s.addresses[key] = (s.addresses[key] ?? 0) + 1;
      }
      if (soa.serial !== undefined) this.observe(region, soa.serial);
      const wait = this.intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  observe(region, serial) {
    const incarnation = this.incarnation(region);
    const last = this.last[region];
    if (last && last.serial !== serial) {
      const event = { region, at: new Date().toISOString(), from: last.serial, to: serial };
      if (last.incarnation !== incarnation) {
        if (!serialNewer(last.serial, serial)) this.restartRegressions.push(event);
      } else if (serialNewer(last.serial, serial)) {
        this.stats[region].serialChanges++;
      } else {
        this.regressions.push(event);
      }
    }
    this.last[region] = { serial, incarnation };
  }
}
