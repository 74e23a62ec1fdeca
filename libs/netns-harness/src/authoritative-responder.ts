import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { isIPv6 } from 'node:net';
import { Flag, MessageWriter, Opcode, RCode, decodeMessage, type DnsMessage } from '@meridian/dns-wire';
import { ZoneModel, type HeartbeatRecord, type HeartbeatValue, type ZoneSpec } from './zone-model';

export interface AuthoritativeResponderOptions {
  readonly zone: ZoneSpec;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port (the same one for UDP and TCP). */
  readonly port?: number;
  /** Milliseconds since the epoch; injected so heartbeats can be driven by a test clock. */
  readonly clock?: () => number;
}

/**
 * A tiny authoritative DNS server over UDP and TCP for tests: it serves a {@link ZoneSpec}
 * (records, delegations, moving heartbeats) and can be silenced (it drops every query, as a
 * partitioned or dead region does) or have its heartbeats frozen (they answer but stop
 * moving, as a stuck publisher does).
 */
export class AuthoritativeResponder {
  private readonly model: ZoneModel;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private readonly sockets = new Set<Socket>();
  /** While frozen, heartbeats keep the value they had at this moment. */
  private frozenAt: number | undefined;
  private silent = false;
  private count = 0;

  private constructor(
    options: AuthoritativeResponderOptions,
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    readonly host: string,
    readonly port: number,
  ) {
    this.model = new ZoneModel(options.zone);
    this.clock = options.clock ?? Date.now;
    this.startedAt = this.clock();
    udp.on('message', (message, rinfo) => {
      const reply = this.handle(message, 'udp');
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
    });
    tcp.on('connection', (socket) => this.serveTcp(socket));
  }

  static async start(options: AuthoritativeResponderOptions): Promise<AuthoritativeResponder> {
    const host = options.host ?? '127.0.0.1';
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      udp.bind(options.port ?? 0, host);
      await once(udp, 'listening');
      const port = udp.address().port;
      const tcp = createServer();
      try {
        tcp.listen(port, host);
        await once(tcp, 'listening');
        return new AuthoritativeResponder(options, udp, tcp, host, port);
      } catch (err) {
        udp.close();
        // The free UDP port was taken for TCP: try another, unless the port was asked for.
        if (options.port || attempt >= 5) throw err;
      }
    }
  }

  /** `host:port`. */
  get address(): string {
    return isIPv6(this.host) ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Queries received so far (answered or dropped). */
  get queries(): number {
    return this.count;
  }

  /** Drops every query while on: the region looks dead or cut off from whoever asks. */
  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  /** Stops (or restarts) the heartbeats moving: they still answer, with the same sequence. */
  setFrozen(frozen: boolean): void {
    this.frozenAt = frozen ? (this.frozenAt ?? this.clock()) : undefined;
  }

  /** The heartbeat value served now: the sequence moves once per interval from 1. */
  heartbeatValue(record: HeartbeatRecord): HeartbeatValue {
    const interval = record.intervalMs ?? 1000;
    const ticks = Math.floor(((this.frozenAt ?? this.clock()) - this.startedAt) / interval);
    return { sequence: ticks + 1, time: this.startedAt + ticks * interval };
  }

  async stop(): Promise<void> {
    this.udp.close();
    this.tcp.close();
    for (const socket of this.sockets) socket.destroy();
    await once(this.tcp, 'close').catch(() => undefined);
  }

  private serveTcp(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const reply = this.handle(pending.subarray(2, 2 + length), 'tcp');
        pending = pending.subarray(2 + length);
        if (reply) {
          const frame = Buffer.alloc(2 + reply.length);
          frame.writeUInt16BE(reply.length, 0);
          reply.copy(frame, 2);
          socket.write(frame);
        }
      }
    });
  }

  private handle(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    this.count += 1;
    if (this.silent) return undefined;
    let query: DnsMessage;
    try {
      query = decodeMessage(message);
    } catch {
      return undefined;
    }
    if (query.qr) return undefined;
    const question = query.questions[0];
    const rd = query.rd ? Flag.RD : 0;
    if (query.opcode !== Opcode.QUERY) return this.reply(query, Flag.QR | rd | RCode.NOTIMP, [], [], []);
    if (!question || query.questions.length !== 1) return this.reply(query, Flag.QR | rd | RCode.FORMERR, [], [], []);
    const answer = this.model.answer(question.name, question.type, (record) => this.heartbeatValue(record));
    const flags = Flag.QR | rd | (answer.authoritative ? Flag.AA : 0) | RCode[answer.rcode];
    const reply = this.reply(query, flags, answer.answers, answer.authorities, answer.additionals);
    const limit = transport === 'tcp' ? 65535 : query.edns ? Math.max(512, Math.min(query.edns.payloadSize, 1232)) : 512;
    if (reply.length <= limit) return reply;
    return this.reply(query, flags | Flag.TC, [], [], []);
  }

  private reply(query: DnsMessage, flags: number, answers: DnsMessage['answers'], authorities: DnsMessage['answers'], additionals: DnsMessage['answers']): Buffer {
    const question = query.questions[0];
    const writer = new MessageWriter();
    writer.header({
      id: query.id,
      flags,
      qdcount: question ? 1 : 0,
      ancount: answers.length,
      nscount: authorities.length,
      arcount: additionals.length + (query.edns ? 1 : 0),
    });
    if (question) writer.question(question.name, question.type, question.class);
    for (const rr of [...answers, ...authorities, ...additionals]) writer.record(rr);
    if (query.edns) writer.opt({ payloadSize: 1232 });
    return writer.finish();
  }
}
