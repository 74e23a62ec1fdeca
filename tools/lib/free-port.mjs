// Free loopback ports: bound on port 0 and released at once. A DNS port must be free for
// both UDP and TCP, so it is taken from TCP and checked on UDP.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function tcpPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function udpFree(port) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

const handedOut = new Set();

/** A TCP port on 127.0.0.1 that nothing listens on now (and that this process has not handed out). */
export async function freePort({ udp = false } = {}) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tcpPort();
    if (handedOut.has(port)) continue;
    if (udp && !(await udpFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free loopback port after 50 attempts');
}
