import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  address: string;
  /** Connections accepted so far. */
  connections: number;
  /**
   * Cuts the link. `reset` closes every connection and refuses new ones; `blackhole` keeps
   * them open but forwards nothing, as a partition does, so only heartbeats can tell.
   */
  cut(mode?: 'reset' | 'blackhole'): void;
  /** Restores forwarding; connections held by a blackhole are closed, new ones flow. */
  restore(): void;
  stop(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of `target`, which a test can cut and restore. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let state: 'open' | 'reset' | 'blackhole' = 'open';
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    if (state === 'reset') {
      client.destroy();
      return;
    }
    if (state === 'blackhole') {
      // Accept and hold: the dialer sees a connection that never answers.
      const held: [Socket, Socket] = [client, client];
      pairs.add(held);
      client.on('error', () => undefined);
      client.on('close', () => pairs.delete(held));
      client.pause();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // A partition carries no FIN or RST either: while blackholed, one side closing does not
    // close the other, which must notice the silence by itself.
    const close = (side: Socket) => () => {
      if (state === 'blackhole') {
        side.destroy();
        return;
      }
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close(client)).on('close', close(client));
    upstream.on('error', close(upstream)).on('close', close(upstream));
    client.on('data', (chunk: Buffer) => {
      if (state === 'open') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (state === 'open') client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const destroyAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    cut: (mode = 'reset') => {
      state = mode;
      if (mode === 'reset') destroyAll();
    },
    restore: () => {
      if (state === 'blackhole') destroyAll();
      state = 'open';
    },
    stop: async () => {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
