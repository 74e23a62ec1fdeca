// A minimal DNS client over UDP for the observers: one query, one reply, with a timeout. It
// reads only what the observers need (rcode, A addresses, the SOA serial), so the pollers
// cost little next to the load they watch.
import { createSocket } from 'node:dgram';

const TYPES = { A: 1, SOA: 6 };

function encodeQuery(id, name, type) {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'ascii'));
  parts.push(Buffer.from([0, 0, TYPES[type], 0, 1]));
  return Buffer.concat(parts);
}

function skipName(buf, offset) {
  for (;;) {
    const len = buf[offset];
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) return offset + 2;
    if (len === 0) return offset + 1;
    offset += len + 1;
  }
}

/** Decodes the parts of a reply the observers use. */
export function decodeReply(buf) {
  const rcode = buf[3] & 0x0f;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = skipName(buf, offset) + 4;
  const addresses = [];
  let serial;
  for (let i = 0; i < an; i++) {
    offset = skipName(buf, offset);
    const type = buf.readUInt16BE(offset);
    const length = buf.readUInt16BE(offset + 8);
    const data = offset + 10;
    if (type === TYPES.A && length === 4) addresses.push(`${buf[data]}.${buf[data + 1]}.${buf[data + 2]}.${buf[data + 3]}`);
    // The serial is the first of the five 32-bit numbers that end the SOA RDATA.
    if (type === TYPES.SOA && length >= 20) serial = buf.readUInt32BE(data + length - 20);
    offset = data + length;
  }
  return { rcode, addresses: addresses.sort(), serial };
}

/** Sends one query; resolves { rcode, addresses, serial } or { error } (timeout, ICMP refusal). */
export function query(port, name, type, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 65536);
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ error: 'timeout' }), timeoutMs);
    socket.on('error', (err) => finish({ error: err.code ?? err.message }));
    socket.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      try {
        finish(decodeReply(msg));
      } catch (err) {
        finish({ error: `undecodable reply: ${err.message}` });
      }
    });
    socket.send(encodeQuery(id, name, type), port, '127.0.0.1');
  });
}
