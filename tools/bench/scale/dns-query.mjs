// A minimal DNS client for the scale benchmark: one A query over UDP, the answer's IPv4
// addresses back (sorted). Written out here so the benchmark depends on no build of ours for
// the one thing it checks: what the DNS server answers.
import { createSocket } from 'node:dgram';

function encodeQuery(id, name) {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'ascii'));
  parts.push(Buffer.from([0, 0, 1, 0, 1])); // root, QTYPE A, QCLASS IN
  return Buffer.concat(parts);
}

function skipName(buf, offset) {
  for (;;) {
    const len = buf[offset];
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2;
    offset += len + 1;
  }
}

/** Parses a reply: rcode and the A addresses of the answer section. */
export function parseAnswer(buf) {
  const rcode = buf[3] & 15;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = skipName(buf, offset) + 4;
  const addresses = [];
  for (let i = 0; i < an; i++) {
    offset = skipName(buf, offset);
    const type = buf.readUInt16BE(offset);
    const rdlength = buf.readUInt16BE(offset + 8);
    offset += 10;
    if (type === 1 && rdlength === 4) addresses.push(`${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`);
    offset += rdlength;
  }
  return { rcode, addresses: addresses.sort() };
}

/** A UDP client bound once; `query(name)` resolves with the parsed answer or undefined after a timeout. */
export async function dnsClient(port, host = '127.0.0.1') {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const waiting = new Map();
  let nextId = 1;
  socket.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    clearTimeout(w.timer);
    w.resolve(parseAnswer(msg));
  });
  return {
    query(name, timeoutMs = 500) {
      const id = nextId;
      nextId = (nextId % 65535) + 1;
      return new Promise((resolve) => {
        const timer = setTimeout(() => (waiting.delete(id), resolve(undefined)), timeoutMs);
        waiting.set(id, { resolve, timer });
        socket.send(encodeQuery(id, name), port, host);
      });
    },
    close: () => socket.close(),
  };
}
