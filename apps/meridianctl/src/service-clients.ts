import { readFileSync } from 'node:fs';
import type { ChannelCredentials, Client } from '@grpc/grpc-js';
import { channelCredentials, clientChannelOptions, type ClientTls } from '@meridian/grpc-kit';
import { DnsServiceClient, PeerSyncServiceClient, ProberServiceClient, RecordsServiceClient, WitnessServiceClient } from '@meridian/proto';
import { CliFailure } from './cli-errors';
import type { TlsFiles } from './cli-options';
import type { RegionEndpoints, ServiceName } from './endpoints';

interface ClientTypes {
  records: RecordsServiceClient;
  witness: WitnessServiceClient;
  'peer-sync': PeerSyncServiceClient;
  prober: ProberServiceClient;
  dns: DnsServiceClient;
}

const CONSTRUCTORS: { [K in ServiceName]: new (address: string, credentials: ChannelCredentials, options: object) => ClientTypes[K] } = {
  records: RecordsServiceClient,
  witness: WitnessServiceClient,
  'peer-sync': PeerSyncServiceClient,
  prober: ProberServiceClient,
  dns: DnsServiceClient,
};

/** One region's clients, made on first use so a command only connects to what it asks. */
export class ServiceClients {
  private readonly made = new Map<ServiceName, Client>();

  constructor(
    readonly endpoints: RegionEndpoints,
    private readonly credentials: ChannelCredentials,
  ) {}

  get region(): string {
    return this.endpoints.region;
  }

  address(service: ServiceName): string {
    return this.endpoints.addresses[service];
  }

  get<K extends ServiceName>(service: K): ClientTypes[K] {
    let client = this.made.get(service);
    if (!client) {
      // Fail fast: a CLI reports an unreachable service instead of waiting for it.
      client = new CONSTRUCTORS[service](this.address(service), this.credentials, clientChannelOptions({ 'grpc.max_receive_message_length': -1 }));
      this.made.set(service, client);
    }
    return client as ClientTypes[K];
  }

  close(): void {
    for (const client of this.made.values()) client.close();
    this.made.clear();
  }
}

/** Reads the TLS files named by --ca, --cert and --key into client credentials. */
export function loadCredentials(tls: TlsFiles | undefined): ChannelCredentials {
  if (!tls) return channelCredentials(undefined);
  const client: ClientTls = {
    ...(tls.ca ? { ca: readFlagFile('--ca', tls.ca) } : {}),
    ...(tls.cert ? { cert: readFlagFile('--cert', tls.cert) } : {}),
    ...(tls.key ? { key: readFlagFile('--key', tls.key) } : {}),
  };
  return channelCredentials(client);
}

function readFlagFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new CliFailure(`${flag} ${path} cannot be read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}
