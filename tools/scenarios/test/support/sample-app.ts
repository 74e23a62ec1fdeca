import { join } from 'node:path';
import { type ManagedProcess, type Network } from '@meridian/netns-harness';
import { WORKSPACE_ROOT } from '@meridian/testing';

/** The port of every region's sample app, on 127.0.0.1 inside the region's namespace. */
export const SAMPLE_APP_PORT = 18081;

/**
 * A region's sample app (tools/demo/sample-app.mjs) as a process that can die: `kill()` sends
 * SIGKILL (the app vanishes, its port refuses connections: k8gb's terratest scales the app
 * to zero), `start()` runs it again on the same port. The prober's HTTP check on /healthz
 * sees the difference.
 */
export class SampleApp {
  private process: ManagedProcess | undefined;

  constructor(
    private readonly net: Network,
    readonly region: string,
  ) {}

  get running(): boolean {
    return this.process?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`the sample app of ${this.region} is already running`);
    const script = join(WORKSPACE_ROOT, 'tools', 'demo', 'sample-app.mjs');
    this.process = await this.net.start(this.region, 'sample-app', process.execPath, [script, '--region', this.region, '--port', String(SAMPLE_APP_PORT), '--host', '127.0.0.1'], {
      ready: /sample app listening/,
    });
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) throw new Error(`the sample app of ${this.region} is not running`);
    await this.process?.stop('SIGKILL', 0);
  }
}
