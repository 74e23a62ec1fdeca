import { scrapeMetrics, startService, type ServiceProcess } from '@meridian/testing';

export interface DnsProcess {
  proc: ServiceProcess;
  /** The UDP and TCP port (they are the same). */
  port: number;
}

/** Starts the built dns app on loopback port 0 and waits until it answers from a zone (readiness). */
export async function startDns(config: Record<string, unknown>): Promise<DnsProcess> {
  const proc = await startService('dns', { config: { ...config, dns: { host: '127.0.0.1', port: 0, ...(config['dns'] as object) } } });
  const listening = proc.logs.find((r) => r['msg'] === 'dns listening');
  if (!listening) throw new Error(`dns did not log "dns listening":\n${proc.stderr()}`);
  return { proc, port: listening['udpPort'] as number };
}

export async function waitReady(proc: ServiceProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${proc.metricsPort}/readyz`);
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dns not ready within ${timeoutMs} ms:\n${proc.stderr()}`);
}

/** The value of one sample in a Prometheus scrape (labels as written, e.g. `{state="synced"}`). */
export async function metric(proc: ServiceProcess, name: string, labels = ''): Promise<number | undefined> {
  const text = await scrapeMetrics(proc.metricsPort);
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
