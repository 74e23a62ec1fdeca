import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { watchHandler } from '@meridian/grpc-kit';
import type { LogFields, Logger } from '@meridian/logging';
import { RecordsServiceService, type RecordSet, type ZoneDelta, type ZoneSnapshot } from '@meridian/proto';
import { VersionedStream } from '@meridian/streams';
import { fixtureZone, ORIGIN } from './zone-fixture';

/** A logger that keeps every record, so a test can see how subscribers resumed. */
export function capturingLogger(records: { msg: string; fields: LogFields }[] = [], bindings: LogFields = {}): Logger {
  const write = (msg: string, fields: LogFields = {}) => records.push({ msg, fields: { ...bindings, ...fields } });
  return { debug: write, info: write, warn: write, error: write, child: (b) => capturingLogger(records, { ...bindings, ...b }), isLevelEnabled: () => true };
}

/**
 * A records server for tests: the real Watch machinery (VersionedStream + watchHandler from
 * our libs) over one zone the test edits. It can be killed and restarted on the same port with
 * the same history, as a records replica that restarts without losing its epoch would.
 */
export class FakeRecords {
  readonly stream: VersionedStream<ZoneSnapshot, ZoneDelta>;
  readonly logs: { msg: string; fields: LogFields }[] = [];
  private readonly sets = new Map<string, RecordSet>();
  private server: Server | undefined;
  private shutdown = new AbortController();
  port = 0;

  constructor(initialVersion: number) {
    const zone = fixtureZone();
    for (const set of zone.recordSets) this.sets.set(set.name, set);
    this.stream = new VersionedStream<ZoneSnapshot, ZoneDelta>({
      epoch: 'fake-records-epoch',
      initialVersion,
      snapshot: () => ({ zones: [{ header: zone.header, recordSets: [...this.sets.values()] }] }),
    });
  }

  upsert(set: RecordSet): number {
    this.sets.set(set.name, set);
    return this.stream.publish({ changes: [{ origin: ORIGIN, change: { $case: 'upsert', upsert: set } }] });
  }

  remove(name: string): number {
    this.sets.delete(name);
    return this.stream.publish({ changes: [{ origin: ORIGIN, change: { $case: 'removedName', removedName: name } }] });
  }

  async start(port = this.port): Promise<number> {
    this.shutdown = new AbortController();
    const server = new Server();
    server.addService(RecordsServiceService, {
      watchZone: watchHandler(this.stream, { heartbeatMs: 200, shutdownSignal: this.shutdown.signal, logger: capturingLogger(this.logs) }),
      explain: (_call: unknown, callback: (err: { code: number; details: string }) => void) => callback({ code: status.UNIMPLEMENTED, details: 'not in the fake' }),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    this.server = server;
    return this.port;
  }

  /** Kills the server mid-stream: every open WatchZone call is cut, nothing is drained. */
  kill(): void {
    this.shutdown.abort();
    this.server?.forceShutdown();
    this.server = undefined;
  }
}
