import type { Logger } from '@meridian/logging';
import { sameSpec, type PeerSpec } from './peer-spec';

/** One peer as the membership knows it. */
export interface PeerRecord {
  spec: PeerSpec;
  /** Why it is not connected, if it is not ('' when fine). */
  lastError: string;
  /** A discovered peer no longer listed at the edge DNS, since when; reported, kept until forgotten. */
  missingSince: Date | undefined;
}

export type MembershipEvent =
  | { type: 'added'; peer: PeerRecord }
  | { type: 'changed'; peer: PeerRecord; previous: PeerSpec }
  | { type: 'missing'; peer: PeerRecord }
  | { type: 'found-again'; peer: PeerRecord }
  | { type: 'removed'; peer: PeerRecord };

export interface MembershipOptions {
  self: string;
  staticPeers: readonly PeerSpec[];
  /** How long a peer missing from the edge DNS is kept (and reported) before it is removed. */
  forgetAfterMs: number;
  logger: Logger;
}

/**
 * The peer regions: static ones from the config, and those found at the edge DNS. A static
 * peer wins over a discovered one of the same region. A discovered peer that disappears from
 * the edge DNS is not dropped: it is marked missing (ListPeers, the `peers{state="missing"}`
 * gauge and a warning say so), keeps its data and its connection, and is removed only after
 * `forgetAfterMs`. A failed discovery changes nothing.
 */
export class Membership {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly listeners: ((event: MembershipEvent) => void)[] = [];

  constructor(private readonly options: MembershipOptions) {}

  onEvent(listener: (event: MembershipEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Adds the static peers; each is an `added` event. */
  start(): void {
    for (const spec of this.options.staticPeers) {
      if (spec.region === this.options.self || this.peers.has(spec.region)) continue;
      this.add(spec);
    }
  }

  list(): PeerRecord[] {
    return [...this.peers.values()].sort((a, b) => (a.spec.region < b.spec.region ? -1 : 1));
  }

  get(region: string): PeerRecord | undefined {
    return this.peers.get(region);
  }

  setError(region: string, error: string): void {
    const peer = this.peers.get(region);
    if (peer) peer.lastError = error;
  }

  /** The peers the edge DNS lists now (a successful read). */
  applyDiscovery(found: readonly PeerSpec[], at: Date): void {
    const log = this.options.logger;
    const seen = new Set<string>();
    for (const spec of found) {
      if (spec.region === this.options.self) continue;
      seen.add(spec.region);
      const existing = this.peers.get(spec.region);
      if (!existing) {
        this.add(spec);
        continue;
      }
      if (existing.spec.source === 'static') continue;
      if (existing.missingSince) {
        existing.missingSince = undefined;
        log.info('peer listed at the edge DNS again', { peer: spec.region });
        this.emit({ type: 'found-again', peer: existing });
      }
      if (!sameSpec(existing.spec, spec)) {
        const previous = existing.spec;
        existing.spec = spec;
        log.info('peer changed at the edge DNS', { peer: spec.region, address: spec.address, nameservers: spec.nameservers });
        this.emit({ type: 'changed', peer: existing, previous });
      }
    }
    for (const peer of this.peers.values()) {
      if (peer.spec.source !== 'edge-dns' || seen.has(peer.spec.region) || peer.missingSince) continue;
      peer.missingSince = at;
      log.warn('peer no longer listed at the edge DNS; keeping it and its targets until it is forgotten', {
        peer: peer.spec.region,
        forgetAfterSeconds: this.options.forgetAfterMs / 1000,
      });
      this.emit({ type: 'missing', peer });
    }
    this.sweep(at);
  }

  /** Removes peers missing for longer than forgetAfterMs. */
  sweep(at: Date): void {
    for (const peer of [...this.peers.values()]) {
      if (!peer.missingSince || at.getTime() - peer.missingSince.getTime() < this.options.forgetAfterMs) continue;
      this.peers.delete(peer.spec.region);
      this.options.logger.warn('peer forgotten: missing from the edge DNS for too long', { peer: peer.spec.region, missingSince: peer.missingSince.toISOString() });
      this.emit({ type: 'removed', peer });
    }
  }

  private add(spec: PeerSpec): void {
    const peer: PeerRecord = { spec, lastError: 'not connected yet', missingSince: undefined };
    this.peers.set(spec.region, peer);
    this.options.logger.info('peer added', { peer: spec.region, kind: spec.kind, source: spec.source, address: spec.address, nameservers: spec.nameservers });
    this.emit({ type: 'added', peer });
  }

  private emit(event: MembershipEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
