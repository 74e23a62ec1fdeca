import type { PeerLink } from '../src/peer-link';

/** Two PeerLinks joined in memory, as a dialer's and an acceptor's end of one Exchange. */
export function memoryLinkPair(): { dialer: PeerLink & { frames: number }; acceptor: PeerLink & { frames: number }; cut(reason: string): void } {
  const make = (writes: 'request' | 'response') => {
    const data: ((frame: Buffer) => void)[] = [];
    const closers: ((reason: string) => void)[] = [];
    let closed = false;
    const link = {
      remoteAddress: `memory:${writes}`,
      writes,
      frames: 0,
      peer: undefined as unknown as { deliver(frame: Buffer): void; close(reason: string): void },
      deliver(frame: Buffer) {
        if (!closed) for (const listener of data) listener(frame);
      },
      close(reason: string) {
        if (closed) return;
        closed = true;
        for (const listener of closers) listener(reason);
      },
      async write(frame: Buffer) {
        if (closed) return;
        link.frames += 1;
        const copy = Buffer.from(frame);
        queueMicrotask(() => link.peer.deliver(copy));
      },
      end() {
        link.close('ended by this side');
        queueMicrotask(() => link.peer.close('the peer ended the stream'));
      },
      fail(_code: number, details: string) {
        link.close(details);
        queueMicrotask(() => link.peer.close(details));
      },
      onData: (listener: (frame: Buffer) => void) => void data.push(listener),
      onClose: (listener: (reason: string) => void) => void closers.push(listener),
      peerCertificate: () => undefined,
    };
    return link;
  };
  const dialer = make('request');
  const acceptor = make('response');
  dialer.peer = acceptor;
  acceptor.peer = dialer;
  return {
    dialer,
    acceptor,
    cut: (reason) => {
      dialer.close(reason);
      acceptor.close(reason);
    },
  };
}

export async function eventually(check: () => boolean, timeoutMs = 2000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
