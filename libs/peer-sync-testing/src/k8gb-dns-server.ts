import { createSocket, type Socket } from 'node:dgram';
import { decodeMessage, Flag, MessageWriter, normalizeName, RCode, RRClass, RRType } from '@meridian/dns-wire';

export interface K8gbDnsServer {
  host: string;
  port: number;
  address: string;
  /** Sets what `localtargets-<host>` answers; an empty list makes it NXDOMAIN, as k8gb does for an unhealthy host. */
  setTargets(host: string, addresses: string[]): void;
  /** Queries received so far, as "name TYPE". */
  queries: string[];
  stop(): Promise<void>;
}

/**
 * A stand-in for a k8gb region's CoreDNS: over UDP on 127.0.0.1 it answers A and AAAA for
 * `localtargets-<host>` with the addresses set for that host (authoritative, TTL 30),
 * NXDOMAIN for a host without targets, and REFUSED for anything else.
 */
export async function startK8gbDnsServer(zone: string): Promise<K8gbDnsServer> {
  const targets = new Map<string, string[]>();
  const queries: string[] = [];
  const origin = normalizeName(zone);
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message, rinfo) => {
    let reply: Buffer;
    try {
      const query = decodeMessage(message);
      const question = query.questions[0];
      if (!question) return;
      const name = normalizeName(question.name);
      queries.push(`${name} ${question.type === RRType.AAAA ? 'AAAA' : question.type === RRType.A ? 'A' : question.type}`);
      const host = name.startsWith('localtargets-') ? name.slice('localtargets-'.length) : undefined;
      const inZone = name === origin || name.endsWith(`.${origin}`);
      const addresses = host ? (targets.get(host) ?? []) : [];
      const family = question.type === RRType.AAAA ? 6 : 4;
      const answers = addresses.filter((a) => (family === 6 ? a.includes(':') : !a.includes(':')));
      const rcode = !inZone ? RCode.REFUSED : addresses.length === 0 ? RCode.NXDOMAIN : RCode.NOERROR;
      const relevant = question.type === RRType.A || question.type === RRType.AAAA ? answers : [];
      const writer = new MessageWriter();
      writer.header({ id: query.id, flags: Flag.QR | (inZone ? Flag.AA : 0) | rcode, qdcount: 1, ancount: rcode === RCode.NOERROR ? relevant.length : 0 });
      writer.question(question.name, question.type, question.class);
      if (rcode === RCode.NOERROR) {
        for (const address of relevant) writer.record({ name, type: question.type, class: RRClass.IN, ttl: 30, data: { kind: 'address', address } });
      }
      reply = writer.finish();
    } catch {
      return;
    }
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    setTargets: (host, addresses) => targets.set(normalizeName(host), [...addresses]),
    queries,
    stop: () => (stopped ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  };
}
