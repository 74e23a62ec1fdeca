import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, sweep } from './support';

describe('sweep on the host (no root needed)', () => {
  it('stops programs a dead run left using its directory, and removes the directory', async () => {
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    const dir = join(tmpdir(), `mrdswh${dead.pid}xabcdef-unbound`);
    mkdirSync(dir, { recursive: true });
    // Stands in for an Unbound on loopback whose test process was killed: its config is in the run's directory.
    const orphan = spawn('sh', ['-c', 'sleep 300', join(dir, 'unbound.conf')], { stdio: 'ignore', detached: true });
    orphan.unref();
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(orphan.pid as number)).toBe(true);

    const live = join(tmpdir(), `mrdswh${process.pid}xabcdef-unbound`);
    mkdirSync(live, { recursive: true });
    const report = sweep({ prefix: 'mrdswh' });
    expect(report.killed).toContain(orphan.pid);
    expect(report.directories).toEqual([`mrdswh${dead.pid}xabcdef-unbound`]);
    expect(existsSync(dir)).toBe(false);
    // A live run (this process) is left alone unless asked.
    expect(existsSync(live)).toBe(true);
    expect(sweep({ prefix: 'mrdswh', includeLive: true }).directories).toEqual([`mrdswh${process.pid}xabcdef-unbound`]);
  });
});
