/** A server address: `10.0.0.53:53`, `[2001:db8::53]:53`, `resolver.example:5353`. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port` (IPv6 in brackets); undefined when it is not one. */
export function parseHostPort(text: string, defaultPort?: number): HostPort | undefined {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([^:\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) return undefined;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: match[1] as string, port };
}

export function formatHostPort(address: HostPort): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
