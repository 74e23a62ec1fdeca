import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './managed-process';
import { newRunName, runBase } from './run-names';
import { sweep } from './sweep';
import { unboundConfig } from './unbound-config';

/** A port free for both UDP and TCP on 127.0.0.1 right now (another process may still take it). */
export async function freeDnsPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const port = udp.address().port;
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    if (ok) {
      tcp.close();
      return port;
    }
  }
  throw new Error('no free port for UDP and TCP on 127.0.0.1');
}

export interface LoopbackUnboundOptions {
  /** Zones sent straight to authoritative servers on loopback (`127.0.0.1@port`). */
  readonly stubZones: readonly { name: string; servers: readonly string[] }[];
  readonly extra?: readonly string[];
  /** Unbound's log name, for error messages. */
  readonly name?: string;
}

/** A real Unbound on 127.0.0.1 (no namespace, no root needed), for tests of the witness on loopback. */
export class LoopbackUnbound {
  private constructor(
    readonly process: ManagedProcess,
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(options: LoopbackUnboundOptions): Promise<LoopbackUnbound> {
    // Named like a network's run, so `sweep` finds (and stops) it if this process dies unannounced.
    sweep();
    const dir = join(tmpdir(), `${runBase(newRunName())}-unbound`);
    mkdirSync(dir, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const port = await freeDnsPort();
      const { conf } = unboundConfig({
        dir,
        listen: [{ address: '127.0.0.1', port }],
        stubZones: options.stubZones,
        queryLocalhost: true,
        extra: ['do-ip6: no', ...(options.extra ?? [])],
      });
      writeFileSync(join(dir, 'unbound.conf'), conf);
      try {
        const proc = await ManagedProcess.start({
          name: options.name ?? 'unbound',
          command: 'unbound',
          args: ['-d', '-c', join(dir, 'unbound.conf')],
          logFile: join(dir, 'unbound.log'),
          ready: /start of service/,
        });
        return new LoopbackUnbound(proc, port, dir);
      } catch (err) {
        // Lost the port to someone else between picking and binding: pick another.
        if (attempt >= 3) throw err;
      }
    }
  }

  /** `127.0.0.1:port`. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
