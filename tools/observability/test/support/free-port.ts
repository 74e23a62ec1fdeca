import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function tcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * Free loopback ports, each distinct, for configs that must name each other's ports before
 * anything starts (a service's peers, its nameservers). The kernel's ephemeral range keeps
 * them clear of the demo's fixed ports; `udp` also checks the port is free for UDP (DNS).
 */
export async function freePorts(count: number, options: { udp?: boolean } = {}): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count && attempt < count * 20; attempt++) {
    const port = await tcpPort();
    if (ports.has(port)) continue;
    if (options.udp && !(await udpFree(port))) continue;
    ports.add(port);
  }
  if (ports.size < count) throw new Error(`found only ${ports.size} of ${count} free loopback ports`);
  return [...ports];
}
