import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DnsClientError, type DnsClient, type DnsClientQuery } from './dns-client';
import { decodeMessage } from './message-decoder';
import { buildQuery } from './query-builder';
import type { DnsMessage } from './resource-record';
import { exchangeTcp } from './tcp-exchange';

export interface WireDnsClientOptions {
  host: string;
  port: number;
  timeoutMs?: number;
  /** Returns a number in [0, 1) for query IDs; injected so tests are deterministic. */
  random?: () => number;
}

/** A {@link DnsClient} on Meridian's own codec: UDP with a TCP retry on truncation, or TCP. */
export class WireDnsClient implements DnsClient {
  private readonly random: () => number;
  private readonly server: string;

  constructor(private readonly options: WireDnsClientOptions) {
    this.random = options.random ?? Math.random;
    this.server = `${options.host}:${options.port}`;
  }

  async query(query: DnsClientQuery): Promise<DnsMessage> {
    const id = Math.floor(this.random() * 65536) & 0xffff;
    const message = buildQuery({
      id,
      name: query.name,
      type: query.type,
      ...(query.class !== undefined ? { class: query.class } : {}),
      ...(query.edns ? { edns: query.edns } : {}),
      recursionDesired: query.recursionDesired ?? false,
    });
    const timeoutMs = query.timeoutMs ?? this.options.timeoutMs ?? 3000;
    if (query.transport !== 'tcp') {
      const reply = decodeMessage(await this.udp(message, id, timeoutMs));
      if (!reply.tc) return reply;
    }
    let replies: Buffer[];
    try {
      replies = await exchangeTcp([message], { host: this.options.host, port: this.options.port, timeoutMs });
    } catch (cause) {
      throw new DnsClientError(`TCP query for ${query.name} failed: ${(cause as Error).message}`, this.server, { cause });
    }
    return decodeMessage(replies[0] as Buffer);
  }

  close(): void {
    // Sockets live only as long as each query.
  }

  private udp(message: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const socket = createSocket(isIPv6(this.options.host) ? 'udp6' : 'udp4');
      const timer = setTimeout(() => done(new DnsClientError(`no UDP reply within ${timeoutMs} ms`, this.server)), timeoutMs);
      const done = (err: Error | undefined, reply?: Buffer) => {
        clearTimeout(timer);
        socket.close();
        if (err) reject(err);
        else resolve(reply as Buffer);
      };
      socket.on('error', (cause) => done(new DnsClientError(`UDP error: ${cause.message}`, this.server, { cause })));
      socket.on('message', (reply, rinfo) => {
        // Ignore strays: only the server's reply to this ID counts.
        if (rinfo.port !== this.options.port || reply.length < 2 || reply.readUInt16BE(0) !== id) return;
        done(undefined, reply);
      });
      socket.send(message, this.options.port, this.options.host);
    });
  }
}
