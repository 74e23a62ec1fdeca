import { DnsClientError, RCode, RRClass, RRType, type DnsClient, type DnsClientQuery, type DnsMessage } from '@meridian/dns-wire';

/** What the fake server does with a question: a TXT answer, an rcode, or silence. */
export type FakeReply = { txt: string[][] } | { rcode: keyof typeof RCode } | 'silence';

/** A hand-written DnsClient: answers by question name (and class), records what it was asked. */
export class FakeDnsClient implements DnsClient {
  readonly asked: DnsClientQuery[] = [];

  constructor(private readonly replies: (query: DnsClientQuery) => FakeReply) {}

  async query(query: DnsClientQuery): Promise<DnsMessage> {
    this.asked.push(query);
    const reply = this.replies(query);
    if (reply === 'silence') throw new DnsClientError(`no UDP reply within ${query.timeoutMs} ms`, 'fake:53');
    const answers =
      'txt' in reply
        ? reply.txt.map((texts) => ({ name: query.name, type: RRType.TXT, class: RRClass.IN, ttl: 1, data: { kind: 'txt' as const, texts } }))
        : [];
    return {
      id: 1,
      flags: 0,
      qr: true,
      opcode: 0,
      aa: false,
      tc: false,
      rd: query.recursionDesired ?? false,
      ra: true,
      cd: false,
      rcode: 'rcode' in reply ? RCode[reply.rcode] : RCode.NOERROR,
      questions: [{ name: query.name, type: query.type, class: query.class ?? 1 }],
      answers,
      authorities: [],
      additionals: [],
    };
  }

  close(): void {
    // Nothing to release: no sockets.
  }
}

export const isLiveness = (q: DnsClientQuery) => q.class === RRClass.CH;
