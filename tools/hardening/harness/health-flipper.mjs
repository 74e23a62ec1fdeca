// Flips the sample apps' health every `everyMs`, across regions, in a fixed cycle: eu fails,
// eu recovers, us fails, us recovers. One region is always healthy, so every name keeps an
// answer (the rcodes the load expects never change); failover.gslb.example.com moves between
// eu's and us's address. With a poller, it measures how long both nameservers take to answer
// the new address after each flip that moves it (`convergenceMs`; `missed` counts flips not
// followed before the next one).
import { ADDRESSES } from './region-fleet.mjs';

export class HealthFlipper {
  constructor({ fleet, everyMs, poller }) {
    this.fleet = fleet;
    this.everyMs = everyMs;
    this.poller = poller;
    this.flips = 0;
    this.errors = [];
    this.convergenceMs = [];
    this.missed = 0;
    this.cycle = [
      ['eu', false],
      ['eu', true],
      ['us', false],
      ['us', true],
    ];
  }

  start() {
    this.timer = setInterval(() => {
      const [region, healthy] = this.cycle[this.flips % this.cycle.length];
      this.flips++;
      const at = Date.now();
      this.fleet
        .setHealthy(region, healthy)
        .then(async () => {
          // failover.gslb.example.com moves when eu's health changes (us's changes leave it on eu).
          if (!this.poller || region !== 'eu') return;
          const ms = await this.poller.until([healthy ? ADDRESSES.eu : ADDRESSES.us], at, this.everyMs - 100);
          if (ms === undefined) this.missed++;
          else this.convergenceMs.push(ms);
        })
        .catch((err) => this.errors.push(`${region} ${healthy ? 'recover' : 'fail'}: ${err.message}`));
    }, this.everyMs);
  }

  /** Stops, and leaves both regions healthy. */
  async stop() {
    clearInterval(this.timer);
    for (const region of ['eu', 'us']) await this.fleet.setHealthy(region, true);
  }
}
