import { execFile } from 'node:child_process';

/** `dig +short` against a server on loopback: the answer data, one line per record, sorted. */
export function digShort(port: number, name: string, type = 'A'): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile('dig', ['+short', '+tries=1', '+time=1', '-p', String(port), '@127.0.0.1', name, type], { timeout: 5000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`dig ${name} ${type} failed: ${err.message} ${stderr}`));
      else resolve(stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith(';')).sort());
    }),
  );
}
