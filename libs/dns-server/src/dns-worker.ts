import { JsonLogger, type Logger } from '@meridian/logging';
import { ZoneDelta, ZoneSnapshot } from '@meridian/proto';
import { DnsServer } from './dns-server';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-messages';
import { ZoneFeed } from './zone-feed';

/** The IPC channel of a cluster worker (process.send / process.on('message')), injected. */
export interface WorkerChannel {
  send(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
  onDisconnect(listener: () => void): void;
  exit(code: number): void;
}

/**
 * The channel of the current process when it is a cluster worker. SIGINT and SIGTERM are
 * ignored: a terminal's Ctrl-C or a signal to the process group reaches the workers too, and
 * the primary, which drains first, stops them over IPC (or they stop when it is gone).
 */
export function processChannel(): WorkerChannel {
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  return {
    send: (message) => {
      if (process.connected) process.send?.(message);
    },
    onMessage: (listener) => process.on('message', (m) => listener(m as ToWorker)),
    onDisconnect: (listener) => process.on('disconnect', listener),
    exit: (code) => process.exit(code),
  };
}

/**
 * A DNS worker: waits for its settings, binds the shared UDP/TCP port, then applies the
 * zone updates the primary forwards (its own ZoneFeed checks their order; a gap asks for a
 * snapshot) and answers stats requests. It exits when told to or when the primary goes away.
 */
export function runDnsWorker(channel: WorkerChannel, workerId: number): void {
  let server: DnsServer | undefined;
  let logger: Logger | undefined;
  const feed = new ZoneFeed();
  const backlog: ToWorker[] = [];

  const handle = (message: ToWorker): void => {
    switch (message.t) {
      case 'init':
        void start(message.settings);
        return;
      case 'snapshot':
      case 'delta':
        if (!server) {
          backlog.push(message);
          return;
        }
        try {
          feed.apply(
            message.t === 'snapshot'
              ? { kind: 'snapshot', epoch: message.epoch, version: message.version, snapshot: ZoneSnapshot.decode(message.data) }
              : { kind: 'delta', epoch: message.epoch, version: message.version, delta: ZoneDelta.decode(message.data) },
          );
          channel.send({ t: 'applied', version: message.version });
        } catch (err) {
          channel.send({ t: 'resync', version: message.version, error: (err as Error).message });
        }
        return;
      case 'stats':
        channel.send({ t: 'stats', requestId: message.requestId, values: Array.from(server?.stats.values ?? []) });
        return;
      case 'stop':
        void stop(0);
        return;
    }
  };

  const start = async (settings: WorkerSettings): Promise<void> => {
    logger = new JsonLogger({ level: settings.logLevel, bindings: { service: 'dns', region: settings.region, worker: workerId } });
    const candidate = new DnsServer({ listen: settings.listen, ednsPayloadSize: settings.ednsPayloadSize, logger: logger.child({ component: 'dns-server' }) });
    feed.onChange((state, version, event) => candidate.serve(state, version, event.kind === 'delta' ? event.delta : undefined));
    try {
      const ports = await candidate.start();
      server = candidate;
      channel.send({ t: 'listening', ...ports });
    } catch (err) {
      channel.send({ t: 'listen-failed', error: (err as Error).message });
      channel.exit(1);
      return;
    }
    for (const message of backlog.splice(0)) handle(message);
  };

  const stop = async (code: number): Promise<void> => {
    await server?.stop();
    channel.exit(code);
  };

  channel.onMessage(handle);
  // The primary is gone (crashed or killed): stop serving instead of running unsupervised.
  channel.onDisconnect(() => void stop(0));
}
