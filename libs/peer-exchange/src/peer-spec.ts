/** How a peer region is reached: a Meridian peer-sync over Exchange, or a k8gb region over DNS. */
export type PeerKind = 'meridian' | 'k8gb';

/** Where the membership learned of a peer; the values of PeerStatus.discovered_by. */
export type PeerSource = 'static' | 'edge-dns';

/** One peer region, compiled from the config or from the edge DNS. */
export interface PeerSpec {
  region: string;
  kind: PeerKind;
  /** Meridian peers: "host:port" of its peer-sync. */
  address?: string;
  /** The name its server certificate is checked against, when it is not the address's host. */
  tlsServerName?: string;
  /** k8gb peers: "host:port" of its nameservers, asked for localtargets-<host>. */
  nameservers: string[];
  source: PeerSource;
}

/** The rule of ADR peer-sync-0001: of two Meridian regions, the one whose geotag sorts first dials. */
export function dialsPeer(self: string, peer: string): boolean {
  return self < peer;
}

export function sameSpec(a: PeerSpec, b: PeerSpec): boolean {
  return (
    a.region === b.region &&
    a.kind === b.kind &&
    a.address === b.address &&
    a.tlsServerName === b.tlsServerName &&
    a.source === b.source &&
    a.nameservers.join(',') === b.nameservers.join(',')
  );
}
