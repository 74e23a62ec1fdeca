/** The services meridianctl talks to, by the names used in flags and messages. */
export const SERVICES = ['prober', 'peer-sync', 'witness', 'records', 'dns'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One region's gRPC addresses. */
export interface RegionEndpoints {
  /** The region's name, or "custom" when only explicit addresses were given. */
  region: string;
  addresses: Record<ServiceName, string>;
}

/** The local demo's (npm start) gRPC ports: eu 7101–7105, us 7201–7205, in SERVICES order. */
export const DEMO_BASE_PORTS: Readonly<Record<string, number>> = { eu: 7100, us: 7200 };

export function demoEndpoints(region: string, host = '127.0.0.1'): RegionEndpoints | undefined {
  const base = DEMO_BASE_PORTS[region];
  if (base === undefined) return undefined;
  const addresses = Object.fromEntries(SERVICES.map((service, i) => [service, `${host}:${base + i + 1}`])) as Record<ServiceName, string>;
  return { region, addresses };
}
