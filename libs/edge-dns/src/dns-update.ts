import { MessageWriter, Opcode, RRClass, RRType } from '@meridian/dns-wire';

/** One change of an RFC 2136 update section. Names are presentation form, no trailing dot. */
export type UpdateOperation =
  /** Add an RR (§2.5.1); adding one that exists changes nothing. */
  | { op: 'add'; name: string; type: 'A' | 'AAAA' | 'NS'; ttl: number; data: string }
  /** Delete one RR (§2.5.4), matched by name, type and data. */
  | { op: 'delete'; name: string; type: 'A' | 'AAAA' | 'NS'; data: string };

export interface UpdateMessageOptions {
  id: number;
  /** The zone to update (the zone section, §2.3). */
  zone: string;
  updates: readonly UpdateOperation[];
}

/**
 * An RFC 2136 UPDATE message: the zone section names the zone (type SOA), no prerequisites,
 * and the update section. Meridian only adds and deletes individual RRs, never whole RRsets,
 * so it cannot remove records another region published at the same name.
 */
export function buildUpdateMessage(options: UpdateMessageOptions): Buffer {
  const writer = new MessageWriter();
  writer.header({ id: options.id, flags: Opcode.UPDATE << 11, qdcount: 1, nscount: options.updates.length });
  writer.question(options.zone, RRType.SOA, RRClass.IN);
  for (const update of options.updates) {
    const type = RRType[update.type];
    const data = update.type === 'NS' ? ({ kind: 'name', name: update.data } as const) : ({ kind: 'address', address: update.data } as const);
    if (update.op === 'add') writer.record({ name: update.name, type, class: RRClass.IN, ttl: update.ttl, data });
    else writer.record({ name: update.name, type, class: RRClass.NONE, ttl: 0, data });
  }
  return writer.finish();
}

/** "add gslb.example.com NS gslb-ns-eu-gslb.example.com": for logs. */
export function describeUpdate(update: UpdateOperation): string {
  return `${update.op} ${update.name} ${update.op === 'add' ? `${update.ttl} ` : ''}${update.type} ${update.data}`;
}

